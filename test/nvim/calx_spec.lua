-- Calx in a second, independent LSP client: headless Neovim (0.7+, built-in vim.lsp) starts `node dist/server.js
-- --stdio`, opens a copy of examples/clinic-note.txt and checks, waiting on events with vim.wait (no sleeps):
--   1. the diagnostics (rule ids, exact UTF-16 ranges, messages, severities; invalid-code set to a warning by the
--      client's settings, pushed with workspace/didChangeConfiguration),
--   2. hover on a written code and on a finding,
--   3. an edit (M75.3 -> M75.31) sent as an incremental change clears the header-code diagnostic.
-- Run by test/nvim/run.sh, which sets CALX_SERVER (server script) and CALX_NOTE (the note to open).
-- Prints "nvim: N passed, N failed" and exits non-zero on the first failure.

local server = assert(os.getenv('CALX_SERVER'), 'CALX_SERVER is not set')
local note = assert(os.getenv('CALX_NOTE'), 'CALX_NOTE is not set')
local WAIT_MS = tonumber(os.getenv('CALX_NVIM_WAIT_MS') or '') or 20000

local passed = 0
local function out(msg) io.stdout:write(msg .. '\n') end
local function finish(code)
  io.stdout:flush()
  vim.cmd((code == 0) and 'qall!' or ('cquit ' .. code))
end
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out('  ok   ' .. name)
  else
    out('  FAIL ' .. name .. '\n       ' .. tostring(err):gsub('\n', '\n       '))
    out(string.format('nvim: %d passed, 1 failed', passed))
    finish(1)
  end
end
local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(string.format('%s:\n  expected %s\n  actual   %s', what, vim.inspect(expected), vim.inspect(actual)), 0)
  end
end

vim.cmd('edit ' .. vim.fn.fnameescape(note))
local bufnr = vim.api.nvim_get_current_buf()
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

-- Each publishDiagnostics for our buffer, newest last.
local published = {}
local uri = vim.uri_from_bufnr(bufnr)
local client_id = vim.lsp.start_client({
  name = 'calx',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(note, ':h'),
  settings = { calx = { rules = { ['invalid-code'] = 'warning' } } },
  -- Neovim 0.7 does not announce workspace/configuration, so the server takes its settings from this push
  -- (what nvim-lspconfig does for every server).
  on_init = function(client)
    client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  end,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      if result and result.uri == uri then table.insert(published, result.diagnostics) end
      return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
    end,
  },
  on_exit = function(code, signal)
    if code ~= 0 and code ~= nil then out(string.format('  server exited with code %s signal %s', code, signal)) end
  end,
})
if not client_id then
  out('  FAIL could not start the server: node ' .. server .. ' --stdio')
  finish(1)
end
vim.lsp.buf_attach_client(bufnr, client_id)

--- Byte column of the `nth` occurrence (1-based, default 1) of `needle` on 0-based `line` ... as an LSP position.
-- The note is ASCII, so byte columns equal UTF-16 columns.
local function find(needle, nth)
  nth = nth or 1
  for l, text in ipairs(lines) do
    local from = 1
    while true do
      local s = text:find(needle, from, true)
      if not s then break end
      nth = nth - 1
      if nth == 0 then return { line = l - 1, character = s - 1 } end
      from = s + 1
    end
  end
  error('not in the note: ' .. needle, 0)
end

local function summary(diags)
  local rows = {}
  for _, d in ipairs(diags) do
    table.insert(rows, {
      code = d.code,
      severity = d.severity,
      source = d.source,
      range = string.format('%d:%d-%d:%d', d.range.start.line, d.range.start.character, d.range['end'].line, d.range['end'].character),
      message = d.message,
    })
  end
  table.sort(rows, function(a, b) return a.range < b.range end)
  return rows
end

local function hover_at(pos)
  local params = { textDocument = { uri = uri }, position = pos }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, WAIT_MS)
  if not responses then error('hover: ' .. tostring(err), 0) end
  for _, r in pairs(responses) do
    if r.result and r.result.contents then return r.result.contents.value or '' end
  end
  return ''
end

out('calx in Neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch))

check('diagnostics of clinic-note.txt: codes, ranges, messages, severities from the settings', function()
  -- The first publish may precede the settings (the server pulls them after initialized): wait for the warning.
  local function settled()
    for _, d in ipairs(published[#published] or {}) do
      if d.code == 'invalid-code' and d.severity == 2 then return true end
    end
    return false
  end
  if not vim.wait(WAIT_MS, settled, 20) then
    error('no publishDiagnostics with invalid-code as a warning within ' .. WAIT_MS .. ' ms; last: ' .. vim.inspect(summary(published[#published] or {})), 0)
  end
  local header = find('M75.3 and')
  local invalid = find('M75.33')
  eq(summary(published[#published]), {
    {
      code = 'header-code',
      severity = 1,
      source = 'calx',
      range = string.format('%d:%d-%d:%d', header.line, header.character, header.line, header.character + 5),
      message = 'M75.3 Calcific tendinitis of shoulder is a header, not billable in FY2027: report M75.30, M75.31 or M75.32.',
    },
    {
      code = 'invalid-code',
      severity = 2, -- calx.rules: { "invalid-code": "warning" }
      source = 'calx',
      range = string.format('%d:%d-%d:%d', invalid.line, invalid.character, invalid.line, invalid.character + 6),
      message = 'M75.33 is not an ICD-10-CM code in FY2027; M75.3 Calcific tendinitis of shoulder has M75.30, M75.31 or M75.32.',
    },
  }, 'diagnostics')
  -- and Neovim's own diagnostic list has them too
  eq(#vim.diagnostic.get(bufnr), 2, 'vim.diagnostic.get() count')
end)

check('hover on the written code M75.31', function()
  local pos = find('M75.31.')
  pos.character = pos.character + 2
  local head = table.concat({
    '**M75.31** Calcific tendinitis of right shoulder',
    '',
    'Billable · ICD-10-CM FY2027 (effective 2026-10-01)',
    '',
    'Chapter 13 Diseases of the musculoskeletal system and connective tissue › M70-M79 Other soft tissue disorders › M75 Shoulder lesions › M75.3 Calcific tendinitis of shoulder',
    '',
  }, '\n')
  local text = hover_at(pos)
  eq(text:sub(1, #head), head, 'hover text (title, status, hierarchy)')
  eq(text:find('**Siblings**', 1, true) ~= nil, true, 'hover lists the siblings')
end)

check('hover on the finding "Calcific tendinitis"', function()
  local pos = find('Calcific tendinitis of the right')
  pos.character = pos.character + 3
  local text = hover_at(pos)
  for _, want in ipairs({
    '**Calcific tendinitis** · dystrophic calcification',
    '- Site: shoulder, from "shoulder" (line 16)',
    '- Side: right, from "right" (line 16)',
    'Suggested: **M75.31 Calcific tendinitis of right shoulder**',
  }) do
    if not text:find(want, 1, true) then error('hover lacks ' .. vim.inspect(want) .. ':\n' .. text, 0) end
  end
end)

check('an edit (M75.3 -> M75.31) clears the header-code diagnostic', function()
  local pos = find('M75.3 and')
  local before = #published
  -- insert "1" after "M75.3": Neovim sends it as an incremental didChange
  vim.api.nvim_buf_set_text(bufnr, pos.line, pos.character + 5, pos.line, pos.character + 5, { '1' })
  local ok = vim.wait(WAIT_MS, function()
    if #published <= before then return false end
    for _, d in ipairs(published[#published]) do
      if d.code == 'header-code' then return false end
    end
    return true
  end, 20)
  if not ok then error('header-code still reported: ' .. vim.inspect(summary(published[#published] or {})), 0) end
  local rows = summary(published[#published])
  eq(#rows, 1, 'one diagnostic left')
  eq(rows[1].code, 'invalid-code', 'the one left')
end)

vim.lsp.stop_client(client_id)
out(string.format('nvim: %d passed, 0 failed', passed))
finish(0)
