"""Query execution: SPARQL text in, capped and serialized results out.

This room owns everything between a query's text and its answer, one module each:

- :mod:`.formats`: every format name, media type and file extension, registered once;
- :mod:`.text`: the lexer and the rewrites of a query's text (``LIMIT``, ``USING``,
  ``VALUES``), and syntax errors with line and column;
- :mod:`.guard`: the checks against hostile queries (size, nesting, ``SERVICE``);
- :mod:`.sandbox`: query threads with no network and a deep stack;
- :mod:`.results`: results as plain rows, and as bytes without a cap;
- :mod:`.task`: the messages to and from a worker (``Task``, ``QueryResult``);
- :mod:`.serialize`: the capped serializer, and one task run on an open store;
- :mod:`.workers`: the worker process side (its loop, allocator, priority);
- :mod:`.cache`: the LRU of serialized results;
- :mod:`.executor`: the :class:`~mandategraph.graph.sparql.executor.Executor` that
  ties them together (worker pool, timeouts, generations, the writer).

May import: :mod:`mandategraph.errors`, :mod:`mandategraph.ontology` and
:mod:`mandategraph.graph.store`; never queries, visualizations or api, and nothing
HTTP. :mod:`.formats` and :mod:`.text` import only the errors: the store uses them.
"""
