"""The query language, engine-neutral: ``lexer`` (tokens, shared with the shell), ``parser``
(tokens -> tree), ``ast`` (the tree), ``dates`` (the date grammar of queries and flags).
An engine compiles the tree; nothing here imports one."""
