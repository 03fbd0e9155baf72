"""``make bench`` / ``securact bench``: the service process measured on this machine.

Not a Django app (no models): plain modules run by the ``bench`` management command.

* ``environment``: the benchmark's own data directory (``var/bench``), ports and the
  environment of every process it starts;
* ``processes``: the PKI server, the SMTP sink, the shared unoserver, the worker processes,
  and peak memory read from ``/proc``;
* ``samples``: the files served (one-page PDF, one-page DOCX, a 50 MB PDF);
* ``primitives``: Ghostscript, pyHanko B-LTA, warm unoserver and cold ``soffice`` alone;
* ``serving``: significations served through real workers, and their step timings;
* ``report``: medians, targets, the table on stdout and ``results.json``;
* ``runner``: the whole run, in order.
"""
