"""Legal clock: may this recipient be served this act nature at this instant?

``can_serve`` combines the recipient's accepted service-hour windows (F3.3) with the legal
calendar of ``legal_calendar`` (art. 664 CPC). It depends on the recipient only through the
``ServableRecipient`` protocol so that ``core`` does not import the directory app.
"""
