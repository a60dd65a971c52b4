// Package sqltext tokenizes SQL text for the local protocol peers, which run
// a server's SQL dialect on another engine (SQLite) and rewrite the few
// spellings whose meaning differs. It does not parse SQL: it splits text
// into tokens whose texts concatenate back to the input exactly, and offers
// the generic helpers the peers' rewrites share (the next or last non-space
// token, a call's argument list, splitting a batch into statements, the
// placeholders a statement uses). What a dialect means by its tokens stays
// with its peer.
//
// The tokenizer knows:
//
//   - whitespace, -- line comments and /* block comments */ (Space);
//   - unquoted identifiers and keywords (Word): a letter, '_' or any
//     non-ASCII byte, then those or digits;
//   - quoted identifiers "ident", `ident` and [ident] (Quoted) and string
//     literals 'text' (String), a doubled quote escaping itself;
//   - numbers 12, 1.5, .5, 1e-3 (Number);
//   - placeholders ?, ?NNN, :name, @name and $name (Param);
//   - any other single byte (Punct).
//
// An unterminated quote or comment runs to the end of the input, where the
// engine that runs the text reports the syntax error.
package sqltext
