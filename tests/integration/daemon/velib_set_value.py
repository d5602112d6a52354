#!/usr/bin/python3
"""tests/integration/daemon: one SetValue sent the way Venus OS's Python services send it.

velib_python's VeDbusItemImport talks through dbus-python on a proxy made without
introspection: a value given as dbus.Int32 / dbus.Double / dbus.String goes out as the bare type
(`i`, `d`, `s`); with variant_level=1 it goes out as a variant (`v`). This script does the same
with dbus-python (Debian's python3-dbus), so the daemon is written to by the library Venus uses,
not by the project's own client. It prints one JSON line: the SetValue result and the value
GetValue reads back.

  velib_set_value.py BUS_ADDRESS SERVICE PATH TYPE(i|d|s) VALUE FORM(bare|variant)
"""
import json
import sys

import dbus

INTERFACE = "com.victronenergy.BusItem"


def typed(kind, text, variant_level):
    if kind == "i":
        return dbus.Int32(int(text), variant_level=variant_level)
    if kind == "d":
        return dbus.Double(float(text), variant_level=variant_level)
    return dbus.String(text, variant_level=variant_level)


def plain(value):
    if isinstance(value, dbus.Array):
        return None
    if isinstance(value, (dbus.Int32, dbus.Int64, dbus.Byte, dbus.Int16, dbus.UInt16, dbus.UInt32)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    return str(value)


def main():
    address, service, path, kind, text, form = sys.argv[1:7]
    bus = dbus.bus.BusConnection(address)
    proxy = bus.get_object(service, path, introspect=False)
    value = typed(kind, text, 1 if form == "variant" else 0)
    result = proxy.SetValue(value, dbus_interface=INTERFACE)
    now = proxy.GetValue(dbus_interface=INTERFACE)
    print(json.dumps({"result": int(result), "value": plain(now)}))


if __name__ == "__main__":
    main()
