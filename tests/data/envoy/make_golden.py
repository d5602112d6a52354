#!/usr/bin/env python3
"""Writes golden.json, the expected PV, grid and consumption figures, into every capture folder.

It follows docs/gateway-sources.md and reads only the capture files: it shares no code with
the driver (src/), so the tests that compare the driver with these files compare two readings
of the rules. Run it after adding a capture, then review the new golden.json by hand.

    python3 tests/data/envoy/make_golden.py [CAPTURE ...]     (default: every folder here)

golden.json:
  "class"     which class of docs/gateway-sources.md the capture is (A..E)
  "polled"    what --once and the daemon with an owner token publish: {"source", "pv", "grid",
              "consumption"}, each meter null (absent) or {"power", "current", "voltage",
              "energy_forward", "energy_reverse" (grid only), "phases": [{"power", "current",
              "voltage"}, ...]}; null inside a meter means the value is unknown (invalid)
  "streamed"  the same for the meter stream (installer token or pre-7 firmware), with power
              and voltage only (the stream's other values come from the simulator), or null
              where the capture has no enabled CT to stream
  "battery"   only for a capture with batteries (IQ Batteries or active AC Batteries): the site's
              storage as one battery, from the gateway's own figures (docs/gateway-sources.md,
              "Batteries"): {"soc" %, "power" W (positive = charging), "capacity" Wh,
              "available_energy" Wh, "count", "charged" kWh, "discharged" kWh}, null = unknown
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PV_NOISE_W = 5.0
LIVE_VOLTAGE = 50.0
METER_TYPES = ("production", "net-consumption", "total-consumption")


def read(capture, name):
    path = os.path.join(HERE, capture, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def status(capture, name):
    log = read(capture, name + "_log.json")
    if log is None:
        return 200 if read(capture, name) is not None else 404
    return json.loads(log).get("code", 200)


def load_json(capture, name):
    """The endpoint's JSON when the gateway answered 200 with JSON, else None."""
    text = read(capture, name)
    if text is None or status(capture, name) != 200:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def num(obj, key):
    if not isinstance(obj, dict):
        return None
    v = obj.get(key)
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def info_facts(capture):
    text = read(capture, "info") or ""
    software = re.search(r"<software>\s*(.*?)\s*</software>", text)
    imeter = re.search(r"<imeter>\s*(.*?)\s*</imeter>", text)
    major = re.search(r"(\d+)\.", software.group(1) if software else "")
    token = "<web-tokens>true</web-tokens>" in text or (major is not None and int(major.group(1)) >= 7)
    return {"metered": imeter is not None and imeter.group(1) == "true", "token": token}


# --- one phase / meter, as plain dicts ---------------------------------------------------------

def live(phase):
    if phase.get("voltage") is not None:
        return phase["voltage"] >= LIVE_VOLTAGE
    return any(phase.get(k) not in (None, 0.0) for k in ("power", "current"))


def trim(phases, limit):
    phases = phases[:limit]
    count = 1
    for i, p in enumerate(phases):
        if live(p):
            count = i + 1
    return phases[:count]


def add(a, b):
    return None if a is None or b is None else a + b


def total_of(phases, key):
    out = 0.0
    for p in phases:
        out = add(out, p.get(key))
    return out


def average_voltage(phases):
    known = [p["voltage"] for p in phases if p.get("voltage") is not None]
    return sum(known) / len(known) if known else None


def clamp_pv(values):
    if values.get("power") is not None and values["power"] < PV_NOISE_W:
        values["power"] = 0.0
        if values.get("current") is not None:
            values["current"] = 0.0


def kwh(wh):
    return None if wh is None else wh / 1000.0


def meter(power, current, voltage, phases, forward=None, reverse=None, per_phase=True):
    return {"power": power, "current": current, "voltage": voltage, "energy_forward": forward,
            "energy_reverse": reverse, "phases": phases, "per_phase": per_phase}


def derive(measured, pv, sign):
    """measured + sign * pv, per phase and in total (power only; current and counters unknown)."""
    phases = []
    for i, m in enumerate(measured["phases"]):
        if not pv["per_phase"] and len(measured["phases"]) > 1:
            power = None
        else:
            pv_power = pv["phases"][i]["power"] if i < len(pv["phases"]) else 0.0
            power = add(m["power"], None if pv_power is None else sign * pv_power)
        phases.append({"power": power, "current": None, "voltage": m["voltage"]})
    total = add(measured["power"], None if pv["power"] is None else sign * pv["power"])
    return meter(total, None, average_voltage(phases), phases)


def complete(pv, grid, consumption):
    """Derivation with the measured PV, then the PV clamp."""
    if pv is not None and grid is None and consumption is not None:
        grid = derive(consumption, pv, -1.0)
    elif pv is not None and consumption is None and grid is not None:
        consumption = derive(grid, pv, +1.0)
    if pv is not None:
        for p in pv["phases"]:
            clamp_pv(p)
        clamp_pv(pv)
    for m in (pv, grid, consumption):
        if m is not None:
            del m["per_phase"]
    for m in (pv, consumption):
        if m is not None:
            m.pop("energy_reverse", None)
    return {"pv": pv, "grid": grid, "consumption": consumption}


def inverters_pv(power, wh_lifetime):
    return meter(power, None, None, [{"power": power, "current": None, "voltage": None}],
                 forward=kwh(wh_lifetime), per_phase=False)


# --- the sources -------------------------------------------------------------------------------

def enabled_meters(capture):
    meters = load_json(capture, "ivp_meters")
    if not isinstance(meters, list):
        return {}
    out = {}
    for m in meters:
        if m.get("state") == "enabled" and m.get("measurementType") in METER_TYPES:
            count = m.get("phaseCount")
            if not isinstance(count, int) or not 1 <= count <= 3:
                count = {"three": 3, "split": 2}.get(m.get("phaseMode"), 1)
            out.setdefault(m["measurementType"], (m["eid"], count))
    return out


def readings_meter(reading, phase_limit):
    channels = reading.get("channels") or []
    if not channels:
        phase = {"power": num(reading, "activePower"), "current": num(reading, "current"),
                 "voltage": num(reading, "voltage")}
        return meter(phase["power"], phase["current"], phase["voltage"], [phase],
                     kwh(num(reading, "actEnergyDlvd")), kwh(num(reading, "actEnergyRcvd")))
    phases = trim([{"power": num(c, "activePower"), "current": num(c, "current"), "voltage": num(c, "voltage")}
                   for c in channels], phase_limit)
    return meter(num(reading, "activePower"), num(reading, "current"), average_voltage(phases), phases,
                 kwh(num(reading, "actEnergyDlvd")), kwh(num(reading, "actEnergyRcvd")))


def from_readings(capture, enabled):
    readings = load_json(capture, "ivp_meters_readings")
    by_eid = {r.get("eid"): r for r in readings}
    found = {}
    for kind, (eid, count) in enabled.items():
        if eid in by_eid:
            found[kind] = readings_meter(by_eid[eid], count)
    pv = found.get("production")
    grid = found.get("net-consumption")
    consumption = found.get("total-consumption")
    summary = production_summary(capture)
    if pv is None and summary and summary["inverters"] is not None:
        pv = inverters_pv(*summary["inverters"])
    out = complete(pv, grid, consumption)
    # Where the meters have no forward counter of PV or consumption, the daemon publishes the
    # gateway's lifetime figure of production.json (docs/energy.md).
    for kind, entry in (("pv", "production"), ("consumption", "total-consumption")):
        m = out[kind]
        if m is not None and m["energy_forward"] is None and summary and summary[entry]:
            m["energy_forward"] = kwh(summary[entry]["total"]["wh"])
    return out


def stream_meter(channels, phase_limit):
    phases = trim([{"power": p, "voltage": v} for p, v in channels], phase_limit)
    return {"power": sum(p["power"] for p in phases), "voltage": average_voltage(phases), "phases": phases}


def from_stream(capture, enabled):
    """The simulator streams the readings' channels; the missing consumption-side meter per phase
    from production and the measured one; totals are sums (the stream has no totals)."""
    readings = {r.get("eid"): r for r in load_json(capture, "ivp_meters_readings")}

    def channels(kind):
        eid, count = enabled[kind]
        chans = readings[eid].get("channels") or []
        out = []
        for i in range(3):
            c = chans[i] if i < len(chans) else {}
            power = num(c, "activePower") or 0.0 if i < count else 0.0
            out.append((power, num(c, "voltage") or 0.0))
        return out, count

    pv = grid = consumption = None
    if "production" in enabled:
        pv_ch, pv_count = channels("production")
        pv = stream_meter(pv_ch, pv_count)
    cons_kind = "net-consumption" if "net-consumption" in enabled else (
        "total-consumption" if "total-consumption" in enabled else None)
    if cons_kind is not None:
        ch, count = channels(cons_kind)
        measured = stream_meter(ch, count)
        if pv is not None:
            # The simulator's other consumption-side meter: total = production + net (voltage of
            # production where it has one), net = total - production (voltage of total).
            if cons_kind == "net-consumption":
                other = [(c[0] + p[0], p[1] if p[1] > 1 else c[1]) for c, p in zip(ch, pv_ch)]
            else:
                other = [(c[0] - p[0], c[1] if c[1] > 1 else p[1]) for c, p in zip(ch, pv_ch)]
            derived = stream_meter(other, count)
        else:
            derived = None
        grid, consumption = (measured, derived) if cons_kind == "net-consumption" else (derived, measured)
    summary = production_summary(capture)
    if pv is None and summary and summary["inverters"] is not None:
        # No production CT: PV is the inverters' figure (on L1), the other meter derived from it.
        power = summary["inverters"][0]
        pv = {"power": power, "voltage": None, "phases": [{"power": power, "voltage": None}]}
        measured = grid if grid is not None else consumption
        sign = 1.0 if grid is not None else -1.0
        phases = [{"power": m["power"] + sign * power if len(measured["phases"]) == 1 else None, "voltage": m["voltage"]}
                  for m in measured["phases"]]
        derived = {"power": measured["power"] + sign * power, "voltage": measured["voltage"], "phases": phases}
        grid, consumption = (grid, derived) if grid is not None else (derived, consumption)
    if pv is not None:
        for p in pv["phases"]:
            if p["power"] < PV_NOISE_W:
                p["power"] = 0.0
        if pv["power"] < PV_NOISE_W:
            pv["power"] = 0.0
    return {"source": "stream", "pv": pv, "grid": grid, "consumption": consumption}


def production_file(capture):
    for name in ("production.json_details_1", "production.json"):
        doc = load_json(capture, name)
        if isinstance(doc, dict):
            return doc
    return None


def eim_entry(entry):
    if entry.get("activeCount") == 0:
        return None
    lines = entry.get("lines") or []
    values = lambda e: {"power": num(e, "wNow"), "current": num(e, "rmsCurrent"), "voltage": num(e, "rmsVoltage"),
                        "wh": num(e, "whLifetime")}
    total = values(entry)
    if not lines:
        phase = {"power": total["power"], "current": total["current"], "voltage": total["voltage"]}
        return {"total": total, "phases": [phase], "wh_phases": [total["wh"]], "per_phase": False}
    listed = [values(l) for l in lines[:3]]
    kept = trim([{"power": l["power"], "current": l["current"], "voltage": l["voltage"]} for l in listed], 3)
    return {"total": total, "phases": kept, "wh_phases": [l["wh"] for l in listed[:len(kept)]], "per_phase": True}


def production_summary(capture):
    doc = production_file(capture)
    if doc is None:
        return None
    out = {"inverters": None, "production": None, "net-consumption": None, "total-consumption": None}
    for entry in (doc.get("production") or []) + (doc.get("consumption") or []):
        if entry.get("type") == "inverters":
            if out["inverters"] is None:
                out["inverters"] = (num(entry, "wNow"), num(entry, "whLifetime"))
        elif entry.get("type") == "eim" and entry.get("measurementType") in METER_TYPES:
            if out[entry["measurementType"]] is None:
                out[entry["measurementType"]] = eim_entry(entry)
    total, net, prod = out["total-consumption"], out["net-consumption"], out["production"]
    if total and net and prod:
        produced = (prod["total"]["power"] is not None and abs(prod["total"]["power"]) >= PV_NOISE_W) or \
                   (prod["total"]["wh"] is not None and prod["total"]["wh"] >= 1000.0)
        same_power = abs(total["total"]["power"] - net["total"]["power"]) <= 1e-3
        same_wh = total["total"]["wh"] is None or net["total"]["wh"] is None or \
            abs(total["total"]["wh"] - net["total"]["wh"]) <= 0.5
        if produced and same_power and same_wh:
            out["total-consumption"] = None
            out["fault_total_is_net"] = True
    return out


def eim_meter(eim, counter):
    t = eim["total"]
    return meter(t["power"], t["current"], average_voltage(eim["phases"]), eim["phases"],
                 forward=kwh(t["wh"]) if counter else None, per_phase=eim["per_phase"])


def from_production(summary):
    pv = eim_meter(summary["production"], True) if summary["production"] else None
    if pv is None and summary["inverters"] is not None:
        pv = inverters_pv(*summary["inverters"])
    grid = eim_meter(summary["net-consumption"], False) if summary["net-consumption"] else None
    consumption = eim_meter(summary["total-consumption"], True) if summary["total-consumption"] else None
    return complete(pv, grid, consumption)


def from_inverters(capture, facts, summary):
    api = load_json(capture, "api_v1_production")
    if (facts["metered"] or not isinstance(api, dict)) and summary and summary["inverters"] is not None:
        power, wh = summary["inverters"]
    else:
        power, wh = num(api, "wattsNow"), num(api, "wattHoursLifetime")
    return complete(inverters_pv(power, wh), None, None)


# --- batteries ---------------------------------------------------------------------------------

def iq_batteries(capture):
    """Serial -> gateway power (W, positive = discharging) of the IQ Batteries: the inventory's
    ENCHARGE devices and the devices of /ivp/ensemble/power (its key is "devices:" there)."""
    found = {}
    inventory = load_json(capture, "ivp_ensemble_inventory")
    for group in inventory if isinstance(inventory, list) else []:
        if isinstance(group, dict) and group.get("type") == "ENCHARGE":
            for device in group.get("devices") or []:
                found[device.get("serial_num")] = None
    power = load_json(capture, "ivp_ensemble_power")
    if isinstance(power, dict):
        for device in power.get("devices:", power.get("devices")) or []:
            mw = num(device, "real_power_mw")
            found[device.get("serial_num")] = None if mw is None else mw / 1000.0
    return found


def ac_batteries(capture):
    """production.json's storage entry of type acb, when its activeCount is above 0."""
    doc = load_json(capture, "production.json")
    for entry in (doc or {}).get("storage") or []:
        if entry.get("type") == "acb" and (entry.get("activeCount") or 0) > 0:
            return entry
    return None


def storage_ct(capture):
    meters = load_json(capture, "ivp_meters")
    readings = load_json(capture, "ivp_meters_readings")
    if not isinstance(meters, list) or not isinstance(readings, list):
        return None
    eids = [m["eid"] for m in meters if m.get("measurementType") == "storage" and m.get("state") == "enabled"]
    for r in readings:
        if eids and r.get("eid") == eids[0]:
            return r
    return None


def battery(capture):
    units = iq_batteries(capture)
    acb = ac_batteries(capture)
    if not units and acb is None:
        return None
    ct = storage_ct(capture)
    secctrl = load_json(capture, "ivp_ensemble_secctrl") or {}
    if ct is not None:
        power = -num(ct, "activePower")
    elif None in units.values() or (acb is not None and num(acb, "wNow") is None):
        power = None
    else:
        power = -(sum(units.values()) + (num(acb, "wNow") if acb else 0.0))
    enc, acb_energy = num(secctrl, "ENC_agg_avail_energy"), num(secctrl, "ACB_agg_energy")
    return {
        "soc": num(secctrl, "agg_soc"),
        "power": power + 0.0 if power is not None else None,
        "capacity": num(secctrl, "Max_energy"),
        "available_energy": enc + (acb_energy or 0.0) if enc is not None else None,
        "count": len(units) + (acb["activeCount"] if acb else 0),
        "charged": kwh(num(ct, "actEnergyRcvd")) if ct else None,
        "discharged": kwh(num(ct, "actEnergyDlvd")) if ct else None,
    }


def golden(capture):
    facts = info_facts(capture)
    enabled = enabled_meters(capture)
    summary = production_summary(capture)
    has_readings = isinstance(load_json(capture, "ivp_meters_readings"), list)
    eim_active = summary is not None and any(summary[k] for k in METER_TYPES)
    streamed = None
    if enabled and has_readings:
        polled = dict(source="readings", **from_readings(capture, enabled))
        streamed = from_stream(capture, enabled)
        # While streaming, the counters come from the readings.
        for kind in ("pv", "grid", "consumption"):
            if streamed[kind] is not None and polled[kind] is not None:
                for key in ("energy_forward", "energy_reverse"):
                    if key in polled[kind]:
                        streamed[kind][key] = polled[kind][key]
        klass = "B" if "production" in enabled else "D"
    elif eim_active:
        polled = dict(source="production.json", **from_production(summary))
        klass = "E"
    else:
        polled = dict(source="inverters", **from_inverters(capture, facts, summary))
        klass = "C" if facts["metered"] else "A"
    out = {"class": klass, "polled": polled, "streamed": streamed}
    if summary and summary.get("fault_total_is_net"):
        out["fault"] = "total-consumption repeats net-consumption"
    if (storage := battery(capture)) is not None:
        out["battery"] = storage
    return out


def rounded(value):
    if isinstance(value, float):
        r = round(value, 4)
        return 0.0 if r == 0 else r
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def main(argv):
    captures = argv or sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "info")))
    for capture in captures:
        with open(os.path.join(HERE, capture, "golden.json"), "w", encoding="utf-8") as f:
            json.dump(rounded(golden(capture)), f, indent=2)
            f.write("\n")
        print("wrote", os.path.join(capture, "golden.json"))


if __name__ == "__main__":
    main(sys.argv[1:])
