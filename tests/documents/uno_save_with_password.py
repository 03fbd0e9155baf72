"""Save a document with a password through LibreOffice's own UNO API.

Run by Debian's /usr/bin/python3 (the only Python with ``uno``) against the LibreOffice of
the test unoserver: ``uno_save_with_password.py UNO_PORT SOURCE DEST FILTER PASSWORD``.
unoserver itself cannot do this: its options reach the export filter, not the password.
"""

import sys

import uno
from com.sun.star.beans import PropertyValue


def _property(name, value):
    return PropertyValue(Name=name, Value=value)


def main(port, source, dest, filter_name, password):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    context = resolver.resolve(
        f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    )
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (_property("Hidden", True),)
    )
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(dest),
            (
                _property("FilterName", filter_name),
                _property("Password", password),
                _property("Overwrite", True),
            ),
        )
    finally:
        document.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:])
