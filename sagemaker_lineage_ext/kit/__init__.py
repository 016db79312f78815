"""The door kit: what every front door shares beyond the core.

- :mod:`.account` chooses the account a door reads (real AWS or the embedded demo
  account), reads its settings and builds the service, once;
- :mod:`.arguments` builds the CLI's and the magic's options from the route table
  and the parameter table (``core/routes.py``, ``core/request.py``), and picks the
  magic's route from its modes (:class:`~.arguments.Modes`);
- :mod:`.outputs` renders what a CLI command writes (JSON, drawings, reports, the exit
  code and stderr notes) and reads the files the doors take (definitions, policies).

Validation, the answers and the error mapping are the core's (``core/http.py``), and
so is what every HTTP door sends alike (CORS headers; ``core/errors.http_error_body``).
"""
