import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # every file the service writes is private to its user (issue 9, item 3)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securact.settings")
application = get_wsgi_application()
