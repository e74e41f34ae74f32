/** Code search and completion queries of the benchmark: code prefixes and words of titles or index entries. */
export const PREFIX_QUERIES = ['M75.', 'M7', 'I25.1', 'T52.8', 'm61.4', 'Z', 'L94', 'E83.5'];
export const WORD_QUERIES = ['calcific tend', 'calcinosis', 'heterotopic ossification', 'coronary calc', 'Calcification, pineal', 'gout', 'kidney stone', 'myositis'];
