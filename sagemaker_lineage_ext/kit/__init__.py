"""The door kit: what every front door shares beyond the core.

- :mod:`.account` chooses the account a door reads (real AWS or the embedded demo
  account), reads its settings and builds the service, once;
- :mod:`.arguments` builds the CLI's and the magic's options from the route table
  and the parameter table (``core/routes.py``, ``core/request.py``).

Validation, the answers and the error mapping are the core's (``core/http.py``).
"""
