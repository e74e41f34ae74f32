/**
 * Preload for the no-network tests: `NODE_OPTIONS="--require <this file>"`. Every way a Node process can open
 * an outbound connection or resolve a name (net, tls, http, https, http2, dgram, dns, fetch, WebSocket) throws,
 * and the attempt is appended to $CALX_NETWORK_LOG (one JSON line each) and written to stderr, so an attempt
 * is seen even when the code under test catches the error. CommonJS on purpose: --require loads it before
 * the program, whatever module system the program uses.
 */
'use strict';
const fs = require('node:fs');

const logFile = process.env.CALX_NETWORK_LOG;

function describe(args) {
  try {
    return JSON.stringify(args, (_k, v) => (typeof v === 'function' ? '[function]' : v)).slice(0, 300);
  } catch {
    return '[unprintable arguments]';
  }
}

function refuse(api) {
  return function refused(...args) {
    const line = JSON.stringify({ api, pid: process.pid, target: describe(args) });
    if (logFile) fs.appendFileSync(logFile, `${line}\n`);
    process.stderr.write(`[no-network] blocked ${api} ${line}\n`);
    throw new Error(`no-network test: ${api} was called`);
  };
}

function patch(moduleName, names) {
  const mod = require(moduleName);
  for (const name of names) {
    if (typeof mod[name] === 'function') mod[name] = refuse(`${moduleName}.${name}`);
  }
  return mod;
}

const net = patch('node:net', ['connect', 'createConnection']);
net.Socket.prototype.connect = refuse('net.Socket.prototype.connect');
patch('node:tls', ['connect']);
patch('node:http', ['request', 'get']);
patch('node:https', ['request', 'get']);
patch('node:http2', ['connect']);
patch('node:dgram', ['createSocket']);
const dns = patch('node:dns', ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse']);
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) {
  if (dns.promises && typeof dns.promises[name] === 'function') dns.promises[name] = refuse(`dns.promises.${name}`);
}
if (typeof globalThis.fetch === 'function') globalThis.fetch = refuse('fetch');
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = refuse('WebSocket');
if (typeof globalThis.EventSource === 'function') globalThis.EventSource = refuse('EventSource');
