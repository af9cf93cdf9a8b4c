"""The demo catalog: believable batteries, power and lighting items for the demo contract.

`seed_catalog(contract, items=2000)` upserts `items` realistic items (by SKU) with an initial applied
price in their price history. Deterministic: the same seed gives the same items, prices and SKUs, so
running it twice changes nothing.

`seed_catalog_bulk(contract, items=N)` tops the contract up to N items for benchmarks with PostgreSQL
`COPY` (1,000,000 rows in well under 3 minutes on 2 cores): it drops the item table's search indexes,
copies the rows (PostgreSQL computes the generated `search_vector`), and rebuilds the indexes. Bulk items
get no `PriceChange` rows (a million history rows would only slow the benchmark's seed down).
All names, part numbers and prices are generated from real-looking product families; they are fictional.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from contracts.catalog.search.words import search_words_refresh
from contracts.models import CatalogItem, Category, Contract, ItemStatus, PriceChange, PriceChangeStatus

SEED = 20260417
BULK_SKU_PREFIX = "BCX-"  # the bulk benchmark items (seed_demo --items above 2,000)
DEFAULT_DISCOUNT_BP = 3000  # when the contract has no minimum discount: 30% off list


@dataclass(frozen=True)
class Family:
    """A product line. `variants` is a list of axes; each axis a list of dicts merged into the fields."""

    category: str
    manufacturer: str
    name: str  # str.format template over the merged variant fields
    mpn: str
    unspsc: str
    price: float  # list price of the base variant, before the variant's `x` multiplier
    variants: tuple[tuple[dict, ...], ...]
    unit: str = "EA"
    attributes: tuple[str, ...] = ()  # keys copied from the variant fields into `attributes`
    lead_time: tuple[int, int] = (1, 5)
    description: str = ""


def _packs(*sizes: int, per: float = 1.0) -> tuple[dict, ...]:
    return tuple(
        {"pack": n, "x": n * per, "unit": "PK" if n > 1 else "EA", "packs": f", {n}-pack" if n > 1 else ""}
        for n in sizes
    )


CELLS = (
    {"size": "AA", "code": "1500", "ecode": "91", "mah": 2850, "v": "1.5", "x": 1.0},
    {"size": "AAA", "code": "2400", "ecode": "92", "mah": 1200, "v": "1.5", "x": 1.0},
    {"size": "C", "code": "1400", "ecode": "93", "mah": 7800, "v": "1.5", "x": 2.2},
    {"size": "D", "code": "1300", "ecode": "95", "mah": 17000, "v": "1.5", "x": 2.6},
    {"size": "9V", "code": "1604", "ecode": "22", "mah": 580, "v": "9", "x": 3.0},
)
LITHIUM_CELLS = (
    {"size": "AA", "code": "L91", "mah": 3500, "v": "1.5", "x": 1.0},
    {"size": "AAA", "code": "L92", "mah": 1250, "v": "1.5", "x": 1.05},
    {"size": "9V", "code": "L522", "mah": 750, "v": "9", "x": 3.4},
    {"size": "CR123A", "code": "EL123AP", "mah": 1500, "v": "3", "x": 1.6},
)
COINS = tuple(
    {"size": s, "mah": mah, "v": v, "x": x}
    for s, mah, v, x in [
        ("CR2032", 235, "3", 1.0),
        ("CR2025", 163, "3", 1.0),
        ("CR2016", 90, "3", 1.0),
        ("CR1632", 137, "3", 1.2),
        ("CR2450", 620, "3", 1.5),
        ("LR44", 150, "1.5", 0.7),
        ("SR626SW", 28, "1.55", 1.1),
        ("CR1220", 40, "3", 1.3),
    ]
)
SLA = tuple(
    {"v": v, "ah": ah, "x": x, "term": t}
    for v, ah, x, t in [
        (12, 7, 1.0, "F1"),
        (12, 9, 1.3, "F2"),
        (12, 12, 1.7, "F2"),
        (12, 18, 2.4, "NB"),
        (12, 22, 2.9, "NB"),
        (12, 35, 4.3, "NB"),
        (12, 55, 6.8, "NB"),
        (12, 100, 12.5, "NB"),
        (6, 4, 0.6, "F1"),
        (6, 10, 0.9, "F1"),
    ]
)
LAMP_SHAPES = (
    {"shape": "A19", "w": 9, "lm": 800, "x": 1.0},
    {"shape": "A19", "w": 14, "lm": 1500, "x": 1.4},
    {"shape": "A21", "w": 16, "lm": 1600, "x": 1.7},
    {"shape": "BR30", "w": 11, "lm": 850, "x": 1.6},
    {"shape": "BR40", "w": 15, "lm": 1200, "x": 2.0},
    {"shape": "PAR38", "w": 17, "lm": 1300, "x": 3.1},
    {"shape": "PAR30", "w": 11, "lm": 850, "x": 2.6},
    {"shape": "B11 Candelabra", "w": 5, "lm": 450, "x": 1.2},
)
CCT = tuple({"cct": k, "x": 1.0} for k in (2700, 3000, 3500, 4000, 5000))
TUBES = (
    {"len": "4ft", "tw": 12, "tlm": 1800, "x": 1.0},
    {"len": "4ft", "tw": 15, "tlm": 2200, "x": 1.15},
    {"len": "2ft", "tw": 8, "tlm": 1000, "x": 0.8},
    {"len": "8ft", "tw": 36, "tlm": 4600, "x": 2.6},
)

FAMILIES: tuple[Family, ...] = (
    # --- Alkaline & lithium cells
    Family(
        "alkaline-lithium-cells",
        "Duracell",
        "Duracell Procell {size} Alkaline Battery, {pack}-pack",
        "PC{code}BKD-{pack}",
        "26111702",
        0.62,
        (CELLS, _packs(4, 12, 24, 36, 48, 72, 144)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
        description="Professional-grade alkaline cells for facility, public-safety and school use.",
    ),
    Family(
        "alkaline-lithium-cells",
        "Energizer",
        "Energizer Industrial {size} Alkaline Battery, {pack}-pack",
        "EN{ecode}-{pack}",
        "26111702",
        0.58,
        (CELLS, _packs(4, 12, 24, 48, 144)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
        description="Long-lasting alkaline batteries in bulk industrial packaging.",
    ),
    Family(
        "alkaline-lithium-cells",
        "Rayovac",
        "Rayovac Ultra Pro {size} Alkaline Battery, {pack}-pack",
        "RAY-{size}{pack}",
        "26111702",
        0.49,
        (CELLS, _packs(8, 24, 48, 72)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "alkaline-lithium-cells",
        "Energizer",
        "Energizer Ultimate Lithium {size} Battery, {pack}-pack",
        "{code}SBP-{pack}",
        "26111710",
        1.85,
        (LITHIUM_CELLS, _packs(2, 4, 8, 12, 24)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
        description="Lithium iron disulfide cells for cold weather, cameras and public-safety gear.",
    ),
    Family(
        "alkaline-lithium-cells",
        "Panasonic",
        "Panasonic {size} Lithium Battery, {pack}-pack",
        "PAN-{code}-{pack}",
        "26111710",
        1.70,
        (LITHIUM_CELLS, _packs(2, 6, 12, 24)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "alkaline-lithium-cells",
        "Duracell",
        "Duracell Coppertop {size} Alkaline Battery, {pack}-pack",
        "MN{code}B{pack}",
        "26111702",
        0.75,
        (CELLS, _packs(4, 8, 16, 20, 28)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "alkaline-lithium-cells",
        "Energizer",
        "Energizer MAX {size} Alkaline Battery, {pack}-pack",
        "E{ecode}BP-{pack}",
        "26111702",
        0.70,
        (CELLS, _packs(4, 8, 16, 24, 32)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "coin-button-cells",
        "Panasonic",
        "Panasonic {size} {v}V Lithium Coin Battery, {pack}-pack",
        "PAN-{size}-{pack}",
        "26111715",
        1.05,
        (COINS, _packs(1, 6, 10, 50)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "coin-button-cells",
        "Maxell",
        "Maxell {size} {v}V Coin Cell, {pack}-pack",
        "MXL-{size}-{pack}",
        "26111715",
        0.95,
        (COINS, _packs(1, 5, 20)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "sealed-lead-acid",
        "Mighty Max",
        "Mighty Max ML{ah}-{v} {v}V {ah}Ah SLA Battery, {term}",
        "ML{ah}-{v}{term}",
        "26111703",
        19.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
    ),
    Family(
        "sealed-lead-acid",
        "Interstate",
        "Interstate SLA{v}{ah} {v}V {ah}Ah Sealed Lead-Acid Battery, {term}",
        "SLA{v}{ah}{term}",
        "26111703",
        26.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
        lead_time=(1, 4),
    ),
    # --- Rechargeable cells
    Family(
        "rechargeable-cells",
        "Panasonic",
        "Panasonic eneloop pro {size} NiMH Rechargeable Battery, {pack}-pack",
        "BK-3HCCA{size}-{pack}",
        "26111701",
        3.40,
        (CELLS[:2], _packs(2, 4, 8, 16)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "rechargeable-cells",
        "Energizer",
        "Energizer Recharge Universal {size} NiMH Battery, {pack}-pack",
        "NH{size}BP-{pack}",
        "26111701",
        2.90,
        (CELLS, _packs(2, 4, 8)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "rechargeable-cells",
        "Tenergy",
        "Tenergy Premium {size} NiMH Rechargeable Battery, {pack}-pack",
        "TEN-{size}-{pack}",
        "26111701",
        2.10,
        (CELLS, _packs(4, 8, 12, 24)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    # --- Coin & button cells
    Family(
        "coin-button-cells",
        "Energizer",
        "Energizer {size} {v}V Lithium Coin Cell, {pack}-pack",
        "ECR{size}BP{pack}",
        "26111715",
        1.30,
        (COINS, _packs(1, 2, 5, 10, 20)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "coin-button-cells",
        "Renata",
        "Renata {size} {v}V Coin Cell Battery, {pack}-pack",
        "REN-{size}-{pack}",
        "26111715",
        1.10,
        (COINS, _packs(1, 5, 10, 100)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "coin-button-cells",
        "Duracell",
        "Duracell {size} Lithium Coin Battery, {pack}-pack",
        "DL{size}B{pack}",
        "26111715",
        1.45,
        (COINS, _packs(1, 2, 4, 6)),
        attributes=("size", "voltage", "chemistry", "capacity_mah"),
    ),
    # --- Sealed lead-acid
    Family(
        "sealed-lead-acid",
        "Power-Sonic",
        "Power-Sonic PS-{v}{ah}0 {v}V {ah}Ah SLA Battery, {term} Terminal",
        "PS-{v}{ah}0 {term}",
        "26111703",
        24.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
        lead_time=(2, 7),
        description="Sealed lead-acid AGM battery for UPS, emergency lighting, alarm and access-control panels.",
    ),
    Family(
        "sealed-lead-acid",
        "Yuasa",
        "Yuasa NP{ah}-{v} {v}V {ah}Ah VRLA Battery",
        "NP{ah}-{v}",
        "26111703",
        27.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
        lead_time=(2, 10),
    ),
    Family(
        "sealed-lead-acid",
        "CSB",
        "CSB GP{v}{ah}0 {v}V {ah}Ah AGM Battery, {term}",
        "GP{v}{ah}0 {term}",
        "26111703",
        22.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
        lead_time=(3, 10),
    ),
    Family(
        "sealed-lead-acid",
        "B.B. Battery",
        "B.B. Battery BP{ah}-{v} {v}V {ah}Ah Emergency Lighting Battery",
        "BP{ah}-{v}",
        "26111703",
        21.0,
        (SLA,),
        attributes=("voltage", "capacity_ah", "chemistry", "terminal"),
        lead_time=(3, 12),
    ),
    # --- UPS replacement cartridges
    Family(
        "ups-replacement-cartridges",
        "APC",
        "APC {rbc} Replacement Battery Cartridge",
        "{rbc}",
        "39121011",
        95.0,
        (
            tuple(
                {"rbc": r, "x": x}
                for r, x in [
                    ("RBC7", 2.4),
                    ("RBC6", 1.6),
                    ("RBC5", 0.9),
                    ("RBC17", 0.8),
                    ("RBC24", 2.6),
                    ("RBC33", 1.1),
                    ("RBC48", 0.7),
                    ("RBC55", 3.5),
                    ("APCRBC123", 1.2),
                    ("APCRBC124", 1.9),
                    ("APCRBC133", 2.8),
                    ("RBC43", 4.8),
                    ("RBC8", 3.0),
                    ("RBC11", 3.9),
                    ("RBC12", 4.2),
                ]
            ),
        ),
        lead_time=(2, 7),
        description="Genuine APC hot-swappable replacement battery cartridge with recycling return label.",
    ),
    Family(
        "ups-replacement-cartridges",
        "CyberPower",
        "CyberPower {rbc} UPS Replacement Battery Cartridge",
        "{rbc}",
        "39121011",
        55.0,
        (
            tuple(
                {"rbc": r, "x": x}
                for r, x in [
                    ("RB1270X4B", 2.1),
                    ("RB1290X2", 1.2),
                    ("RB1280X2B", 1.1),
                    ("RB1270X2", 0.8),
                    ("RB1290X3", 1.6),
                    ("RB12120X2", 2.3),
                ]
            ),
        ),
    ),
    Family(
        "ups-replacement-cartridges",
        "Eaton",
        "Eaton {rbc} UPS Battery Kit",
        "{rbc}",
        "39121011",
        140.0,
        (
            tuple(
                {"rbc": r, "x": x}
                for r, x in [("EBP-1611", 1.0), ("9PXEBM48", 4.5), ("5PXEBM48", 3.0), ("EBP-1613", 1.4)]
            ),
        ),
        lead_time=(5, 14),
    ),
    # --- Vehicle & fleet batteries
    Family(
        "vehicle-fleet-batteries",
        "Interstate",
        "Interstate {model} Group {group} Fleet Battery, {cca} CCA",
        "{model}",
        "25172001",
        165.0,
        (
            tuple(
                {"model": m, "group": g, "cca": c, "x": x}
                for m, g, c, x in [
                    ("MTP-65", "65", 750, 1.0),
                    ("MTX-34/78", "34/78", 800, 1.15),
                    ("MT-24F", "24F", 700, 0.9),
                    ("31-MHD", "31", 950, 1.3),
                    ("MTP-94R", "94R", 850, 1.2),
                    ("MTX-48/H6", "48", 760, 1.1),
                    ("MTP-78DT", "78", 800, 1.05),
                    ("SRM-27", "27M", 600, 0.95),
                    ("MT-35", "35", 640, 0.85),
                ]
            ),
        ),
        attributes=("group_size", "cca", "voltage"),
        lead_time=(1, 3),
    ),
    Family(
        "vehicle-fleet-batteries",
        "Odyssey",
        "Odyssey {model} Group {group} AGM Battery, {cca} CCA",
        "{model}",
        "25172001",
        330.0,
        (
            tuple(
                {"model": m, "group": g, "cca": c, "x": x}
                for m, g, c, x in [
                    ("31-PC2150T", "31", 1150, 1.3),
                    ("65-PC1750T", "65", 950, 1.0),
                    ("34-PC1500T", "34", 850, 0.9),
                    ("94R-850", "94R", 850, 0.95),
                ]
            ),
        ),
        attributes=("group_size", "cca", "voltage"),
        lead_time=(2, 6),
    ),
    Family(
        "vehicle-fleet-batteries",
        "Optima",
        "Optima {model} {line} Group {group} Battery, {cca} CCA",
        "{model}",
        "25172001",
        240.0,
        (
            tuple(
                {"model": m, "line": ln, "group": g, "cca": c, "x": x}
                for m, ln, g, c, x in [
                    ("8002-002", "RedTop", "34", 800, 1.0),
                    ("8004-003", "RedTop", "34/78", 800, 1.05),
                    ("8016-103", "YellowTop", "D34/78", 750, 1.2),
                    ("8052-161", "BlueTop", "31M", 900, 1.3),
                ]
            ),
        ),
        attributes=("group_size", "cca", "voltage"),
    ),
    # --- Two-way radio batteries
    Family(
        "two-way-radio-batteries",
        "Motorola Solutions",
        "Motorola {model} {mah} mAh Li-ion Radio Battery",
        "{model}",
        "43191507",
        110.0,
        (
            tuple(
                {"model": m, "mah": mah, "x": x}
                for m, mah, x in [
                    ("PMNN4491", 2100, 1.0),
                    ("PMNN4409", 2150, 1.0),
                    ("NNTN8129", 2300, 1.2),
                    ("PMNN4544", 2450, 1.25),
                    ("PMNN4493", 3000, 1.4),
                    ("NNTN8860", 2250, 1.3),
                    ("PMNN4424", 2300, 0.9),
                    ("PMNN4448", 2550, 1.3),
                ]
            ),
        ),
        attributes=("voltage", "chemistry", "capacity_mah"),
        lead_time=(2, 8),
        description="Genuine IMPRES-compatible battery for APX / XPR portable radios.",
    ),
    Family(
        "two-way-radio-batteries",
        "Kenwood",
        "Kenwood {model} {mah} mAh Li-ion Radio Battery",
        "{model}",
        "43191507",
        85.0,
        (
            tuple(
                {"model": m, "mah": mah, "x": x}
                for m, mah, x in [
                    ("KNB-45L", 2000, 1.0),
                    ("KNB-55L", 1480, 0.8),
                    ("KNB-57L", 2000, 1.0),
                    ("KNB-75L", 2000, 1.15),
                ]
            ),
        ),
        attributes=("voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "two-way-radio-batteries",
        "L3Harris",
        "L3Harris {model} Li-ion Radio Battery, {mah} mAh",
        "{model}",
        "43191507",
        160.0,
        (
            tuple(
                {"model": m, "mah": mah, "x": x}
                for m, mah, x in [
                    ("BT-023406-002", 2500, 1.0),
                    ("BT-023406-101", 4100, 1.4),
                    ("12082-0400-02", 3600, 1.3),
                ]
            ),
        ),
        attributes=("voltage", "chemistry", "capacity_mah"),
        lead_time=(5, 15),
    ),
    # --- Mobile device & laptop batteries
    Family(
        "mobile-device-batteries",
        "Zebra",
        "Zebra {model} Mobile Computer Battery, {mah} mAh",
        "{model}",
        "43211602",
        60.0,
        (
            tuple(
                {"model": m, "mah": mah, "x": x}
                for m, mah, x in [
                    ("BTRY-TC51-43MA1-01", 4300, 1.0),
                    ("BTRY-MC33-52MA-01", 5200, 1.3),
                    ("BTRY-TC2L-2XMAXX-01", 3800, 0.9),
                    ("BTRY-TC7X-46MPP-01", 4620, 1.2),
                ]
            ),
        ),
        attributes=("voltage", "chemistry", "capacity_mah"),
    ),
    Family(
        "mobile-device-batteries",
        "Dell",
        "Dell {model} {cells}-cell Laptop Battery, {wh} Wh",
        "{model}",
        "43211602",
        85.0,
        (
            tuple(
                {"model": m, "cells": c, "wh": wh, "x": x}
                for m, c, wh, x in [
                    ("451-BBZL", 3, 42, 0.8),
                    ("451-BCHE", 4, 54, 1.0),
                    ("451-BCOI", 3, 51, 1.0),
                    ("451-BBYX", 4, 68, 1.2),
                ]
            ),
        ),
        attributes=("voltage", "chemistry"),
    ),
    Family(
        "mobile-device-batteries",
        "Lenovo",
        "Lenovo ThinkPad {model} Laptop Battery, {wh} Wh",
        "{model}",
        "43211602",
        90.0,
        (
            tuple(
                {"model": m, "wh": wh, "x": x}
                for m, wh, x in [
                    ("01AV489", 57, 1.0),
                    ("5B10W13975", 51, 0.9),
                    ("00HW023", 23, 0.6),
                    ("01AV424", 72, 1.3),
                ]
            ),
        ),
        attributes=("voltage", "chemistry"),
    ),
    # --- Chargers
    Family(
        "chargers",
        "NOCO",
        "NOCO Genius{amps} {amps}A Smart Battery Charger, 6V/12V",
        "GENIUS{amps}",
        "26111604",
        70.0,
        (tuple({"amps": a, "x": x} for a, x in [(1, 0.5), (2, 0.7), (5, 1.0), (10, 1.6)]),),
    ),
    Family(
        "chargers",
        "Motorola Solutions",
        "Motorola {model} {slots}-Unit Radio Charger",
        "{model}",
        "26111604",
        95.0,
        (
            tuple(
                {"model": m, "slots": s, "x": x}
                for m, s, x in [("NNTN8844", 6, 6.5), ("WPLN4232", 1, 1.0), ("PMPN4174", 1, 1.1), ("NNTN8860", 6, 7.0)]
            ),
        ),
    ),
    Family(
        "chargers",
        "Panasonic",
        "Panasonic eneloop {model} Smart Charger for AA/AAA, {slots} Bay",
        "{model}",
        "26111604",
        28.0,
        (
            tuple(
                {"model": m, "slots": s, "x": x}
                for m, s, x in [("BQ-CC55", 4, 1.0), ("BQ-CC65", 4, 1.3), ("BQ-CC63", 8, 1.8)]
            ),
        ),
    ),
    # --- Power banks & portable power
    Family(
        "power-banks",
        "Anker",
        "Anker PowerCore {mah} mAh Portable Charger, {port}",
        "A{code}",
        "26111721",
        45.0,
        (
            tuple(
                {"mah": m, "port": p, "code": c, "x": x}
                for m, p, c, x in [
                    (10000, "USB-C", "1263", 0.6),
                    (20000, "USB-C PD", "1363", 1.0),
                    (26800, "USB-C PD", "1277", 1.3),
                ]
            ),
        ),
        attributes=("capacity_mah",),
    ),
    Family(
        "power-banks",
        "Jackery",
        "Jackery Explorer {wh} Portable Power Station",
        "JE-{wh}",
        "26111721",
        1.0,
        (tuple({"wh": w, "x": x} for w, x in [(300, 299), (500, 499), (1000, 999), (2000, 1999)]),),
        lead_time=(3, 10),
    ),
    Family(
        "power-banks",
        "Goal Zero",
        "Goal Zero Yeti {wh}X Portable Power Station",
        "GZ-{wh}X",
        "26111721",
        1.0,
        (tuple({"wh": w, "x": x} for w, x in [(500, 699), (1500, 1999), (3000, 3499)]),),
        lead_time=(5, 14),
    ),
    # --- UPS units
    Family(
        "ups-units",
        "APC",
        "APC {line} {va}VA {form} UPS, {volts}V",
        "{model}",
        "39121011",
        1.0,
        (
            tuple(
                {"line": ln, "va": va, "form": f, "volts": v, "model": m, "x": x}
                for ln, va, f, v, m, x in [
                    ("Back-UPS Pro", 1500, "Tower", 120, "BR1500MS2", 239),
                    ("Back-UPS", 600, "Tower", 120, "BE600M1", 89),
                    ("Smart-UPS", 1500, "Tower LCD", 120, "SMT1500C", 749),
                    ("Smart-UPS", 3000, "2U Rack", 120, "SMT3000RM2UC", 1899),
                    ("Smart-UPS", 750, "Tower LCD", 120, "SMT750C", 459),
                    ("Back-UPS Pro", 1000, "Tower", 120, "BR1000MS", 189),
                ]
            ),
        ),
        lead_time=(2, 10),
    ),
    Family(
        "ups-units",
        "CyberPower",
        "CyberPower {model} {va}VA PFC Sinewave UPS",
        "{model}",
        "39121011",
        1.0,
        (
            tuple(
                {"model": m, "va": va, "x": x}
                for m, va, x in [
                    ("CP1500PFCLCD", 1500, 229),
                    ("CP1000PFCLCD", 1000, 169),
                    ("OR1500PFCRT2U", 1500, 599),
                ]
            ),
        ),
    ),
    Family(
        "ups-units",
        "Eaton",
        "Eaton {model} {va}VA Line-Interactive UPS",
        "{model}",
        "39121011",
        1.0,
        (
            tuple(
                {"model": m, "va": va, "x": x}
                for m, va, x in [("5S1500LCD", 1500, 249), ("5P1500R", 1500, 899), ("9PX3000RT", 3000, 2699)]
            ),
        ),
        lead_time=(5, 14),
    ),
    # --- Power supplies
    Family(
        "power-supplies",
        "Mean Well",
        "Mean Well {model} {volts}V {amps}A Enclosed Power Supply",
        "{model}",
        "39121004",
        1.0,
        (
            tuple(
                {"model": m, "volts": v, "amps": a, "x": x}
                for m, v, a, x in [
                    ("LRS-350-12", 12, "29", 38),
                    ("LRS-350-24", 24, "14.6", 38),
                    ("LRS-100-12", 12, "8.5", 21),
                    ("LRS-150-24", 24, "6.5", 24),
                    ("RSP-500-24", 24, "21", 115),
                ]
            ),
        ),
    ),
    Family(
        "power-supplies",
        "Mean Well",
        "Mean Well {model} {volts}V DIN Rail Power Supply, {watts}W",
        "{model}",
        "39121004",
        1.0,
        (
            tuple(
                {"model": m, "volts": v, "watts": w, "x": x}
                for m, v, w, x in [
                    ("HDR-60-24", 24, 60, 32),
                    ("HDR-100-24N", 24, 92, 46),
                    ("NDR-240-24", 24, 240, 78),
                ]
            ),
        ),
    ),
    # --- LED lamps
    Family(
        "led-lamps",
        "Philips",
        "Philips {w}W {shape} LED Lamp {cct}K, {lm} lm{packs}",
        "PHL-{shape}-{w}W-{cct}-{pack}",
        "39101628",
        4.2,
        (LAMP_SHAPES, CCT, _packs(1, 4, 6, 12)),
        attributes=("wattage", "lumens", "color_temp", "shape"),
        unit="EA",
    ),
    Family(
        "led-lamps",
        "Cree Lighting",
        "Cree Lighting {w}W {shape} LED Bulb {cct}K Dimmable{packs}",
        "CREE-{shape}{w}-{cct}-{pack}",
        "39101628",
        4.8,
        (LAMP_SHAPES, CCT, _packs(1, 6)),
        attributes=("wattage", "lumens", "color_temp", "shape"),
    ),
    Family(
        "led-lamps",
        "Sylvania",
        "Sylvania {shape} {w}W LED Lamp, {cct}K, {lm} Lumens{packs}",
        "SYL-{shape}{w}{cct}-{pack}",
        "39101628",
        3.9,
        (LAMP_SHAPES, CCT, _packs(1, 4, 8)),
        attributes=("wattage", "lumens", "color_temp", "shape"),
    ),
    Family(
        "led-lamps",
        "Satco",
        "Satco {shape} {w}W LED {cct}K, {lm} lm{packs}",
        "S{w}{cct}-{pack}",
        "39101628",
        3.5,
        (LAMP_SHAPES, CCT, _packs(1, 12)),
        attributes=("wattage", "lumens", "color_temp", "shape"),
    ),
    # --- LED tubes
    Family(
        "led-tubes",
        "Philips",
        "Philips InstantFit T8 LED Tube {len} {tw}W {cct}K, {pack}-pack",
        "PHL-T8-{tw}-{cct}-{pack}",
        "39101628",
        7.5,
        (TUBES, CCT, _packs(10, 25)),
        attributes=("wattage", "lumens", "color_temp", "length"),
    ),
    Family(
        "led-tubes",
        "Sylvania",
        "Sylvania SubstiTUBE T8 {len} {tw}W LED Tube {cct}K, {pack}-pack",
        "SYL-T8-{tw}-{cct}-{pack}",
        "39101628",
        6.9,
        (TUBES, CCT, _packs(10, 25)),
        attributes=("wattage", "lumens", "color_temp", "length"),
    ),
    Family(
        "led-tubes",
        "Satco",
        "Satco Type B Ballast-Bypass T8 LED Tube {len} {tw}W {cct}K{packs}",
        "S11{tw}{cct}-{pack}",
        "39101628",
        6.2,
        (TUBES, CCT, _packs(1, 25)),
        attributes=("wattage", "lumens", "color_temp", "length"),
    ),
    # --- Fixtures & high-bays
    Family(
        "fixtures-high-bays",
        "Lithonia Lighting",
        "Lithonia LED High Bay {klm},000 lm {cct}K, 120-277V",
        "JEBL {klm}L {cctc}K 80CRI",
        "39111500",
        1.0,
        (
            tuple({"klm": k, "x": x} for k, x in [(12, 139), (18, 169), (24, 199), (36, 279)]),
            tuple({"cct": c, "cctc": str(c)[:2], "x": 1.0} for c in (4000, 5000)),
        ),
        attributes=("lumens", "color_temp"),
        lead_time=(3, 10),
    ),
    Family(
        "fixtures-high-bays",
        "Lithonia Lighting",
        "Lithonia CPX 2x4 LED Flat Panel {klm},000 lm {cct}K",
        "CPX 2X4 ALO{klm} SWW7",
        "39111500",
        1.0,
        (tuple({"klm": k, "x": x} for k, x in [(4, 89), (5, 99), (6, 109)]), CCT[1:4]),
        attributes=("lumens", "color_temp"),
    ),
    Family(
        "fixtures-high-bays",
        "RAB Lighting",
        "RAB {model} LED Wall Pack {w}W {cct}K, Bronze",
        "{model}",
        "39111500",
        1.0,
        (
            tuple(
                {"model": m, "w": w, "x": x}
                for m, w, x in [("WPLED26", 26, 149), ("WPLED52", 52, 219), ("WP2LED80", 80, 289), ("SLIM26", 26, 119)]
            ),
            CCT[3:5],
        ),
        attributes=("wattage", "color_temp"),
    ),
    Family(
        "fixtures-high-bays",
        "Cooper Lighting",
        "Metalux {model} LED Strip Light {len} {tlm} lm {cct}K",
        "{model}",
        "39111500",
        1.0,
        (
            tuple(
                {"model": m, "len": ln, "tlm": lm, "x": x}
                for m, ln, lm, x in [
                    ("4SNLED-LD5-40SL", "4ft", 4000, 64),
                    ("8SNLED-LD5-80SL", "8ft", 8000, 119),
                ]
            ),
            CCT[2:5],
        ),
        attributes=("lumens", "color_temp", "length"),
    ),
    # --- Exit & emergency lights
    Family(
        "exit-emergency-lights",
        "Lithonia Lighting",
        "Lithonia {model} LED Exit Sign, {color} Letters{el}",
        "{model}",
        "46171500",
        1.0,
        (
            tuple(
                {"model": m, "color": c, "el": e, "x": x}
                for m, c, e, x in [
                    ("LQM S W 3 R 120/277 EL N", "Red", ", Battery Backup", 52),
                    ("LQM S W 3 G 120/277 EL N", "Green", ", Battery Backup", 55),
                    ("EXR LED EL M6", "Red", ", Battery Backup", 39),
                    ("LHQM LED R HO M6", "Red", " Combo with Lamp Heads", 79),
                ]
            ),
        ),
    ),
    Family(
        "exit-emergency-lights",
        "Lithonia Lighting",
        "Lithonia {model} LED Emergency Light, {hours}-Hour Battery",
        "{model}",
        "46171500",
        1.0,
        (
            tuple(
                {"model": m, "hours": 1.5, "x": x}
                for m, x in [("EU2C M6", 34), ("ELM2 LED M12", 45), ("ELM4L M12", 69), ("EU2L M12", 41)]
            ),
        ),
    ),
    Family(
        "exit-emergency-lights",
        "Sure-Lites",
        "Sure-Lites {model} Emergency Light with NiCd Battery",
        "{model}",
        "46171500",
        1.0,
        (tuple({"model": m, "x": x} for m, x in [("SEL25", 49), ("CC2", 59), ("SEL25NY", 55)]),),
    ),
    Family(
        "exit-emergency-lights",
        "Power-Sonic",
        "Replacement {v}V {ah}Ah Emergency Light Battery Pack",
        "EMB-{v}{ah}",
        "46171500",
        14.0,
        (
            tuple(
                {"v": v, "ah": ah, "x": x}
                for v, ah, x in [(3.6, 0.9, 1.0), (4.8, 1.6, 1.3), (6, 4, 1.6), (12, 4.5, 2.0), (3.6, 2.2, 1.4)]
            ),
        ),
        attributes=("voltage",),
    ),
    # --- Flashlights & headlamps
    Family(
        "flashlights",
        "Streamlight",
        "Streamlight {model} {kind}, {lm} Lumens",
        "{code}",
        "39111610",
        1.0,
        (
            tuple(
                {"model": m, "kind": k, "lm": lm, "code": c, "x": x}
                for m, k, lm, c, x in [
                    ("Stinger 2020", "Rechargeable Flashlight", 2000, "78100", 179),
                    ("ProTac HL-X", "Tactical Flashlight", 1000, "88085", 79),
                    ("Survivor LED", "Right-Angle Firefighter Flashlight", 175, "90540", 129),
                    ("Vantage II", "Helmet Headlamp", 200, "69191", 85),
                    ("Stylus Pro", "Penlight", 100, "66118", 29),
                    ("Strion DS HL", "Rechargeable Flashlight", 700, "74630", 139),
                ]
            ),
        ),
        attributes=("lumens",),
    ),
    Family(
        "flashlights",
        "Pelican",
        "Pelican {model} {kind}, {lm} Lumens",
        "{model}",
        "39111610",
        1.0,
        (
            tuple(
                {"model": m, "kind": k, "lm": lm, "x": x}
                for m, k, lm, x in [
                    ("7600", "Rechargeable Tactical Flashlight", 944, 199),
                    ("2780R", "Rechargeable Headlamp", 423, 89),
                    ("3315R", "Rechargeable Safety Flashlight", 126, 65),
                    ("9050", "Rechargeable Scene Light", 1072, 389),
                ]
            ),
        ),
        attributes=("lumens",),
    ),
    Family(
        "flashlights",
        "Fenix",
        "Fenix {model} {kind}, {lm} Lumens",
        "{model}",
        "39111610",
        1.0,
        (
            tuple(
                {"model": m, "kind": k, "lm": lm, "x": x}
                for m, k, lm, x in [
                    ("PD36R", "Rechargeable Flashlight", 1600, 85),
                    ("HM65R", "Rechargeable Headlamp", 1400, 89),
                    ("E12 V2.0", "AA Pocket Flashlight", 160, 22),
                ]
            ),
        ),
        attributes=("lumens",),
    ),
    Family(
        "flashlights",
        "Maglite",
        "Maglite {model} {cells}-Cell {size} LED Flashlight",
        "{model}",
        "39111610",
        1.0,
        (
            tuple(
                {"model": m, "cells": c, "size": s, "x": x}
                for m, c, s, x in [
                    ("ML300L-S3016", 3, "D", 49),
                    ("ML50LX-S2CC6", 2, "C", 42),
                    ("SP2201H", 2, "AA", 19),
                ]
            ),
        ),
        attributes=("lumens",),
    ),
    # --- Services
    Family(
        "battery-recycling",
        "Call2Recycle",
        "Call2Recycle Battery Recycling Box, {size} ({lbs} lb)",
        "C2R-{code}",
        "76121500",
        1.0,
        (
            tuple(
                {"size": s, "lbs": lb, "code": c, "x": x}
                for s, lb, c, x in [
                    ("Small", 15, "S15", 79),
                    ("Medium", 33, "M33", 119),
                    ("Large", 64, "L64", 189),
                ]
            ),
        ),
        lead_time=(1, 3),
        description="Prepaid collection box for dry-cell batteries, with shipping and certificate of recycling.",
    ),
    Family(
        "battery-recycling",
        "BrightCell",
        "Lamp Recycling Kit, {len} Fluorescent & LED Tubes",
        "BCR-LAMP-{len}",
        "76121500",
        1.0,
        (tuple({"len": ln, "x": x} for ln, x in [("4ft", 129), ("8ft", 169), ("2ft", 99)]),),
    ),
    Family(
        "installation-services",
        "BrightCell",
        "{service}, per {per}",
        "BCS-{code}",
        "72151500",
        1.0,
        (
            tuple(
                {"service": s, "per": p, "code": c, "x": x}
                for s, p, c, x in [
                    ("UPS battery replacement service (onsite)", "unit", "UPS", 145),
                    ("Emergency lighting annual test and battery swap", "fixture", "EMT", 38),
                    ("Fleet battery testing and installation", "vehicle", "FLT", 45),
                    ("Exit sign retrofit to LED", "sign", "EXT", 55),
                    ("High-bay LED retrofit installation", "fixture", "HBY", 185),
                    ("Two-way radio battery fleet audit", "radio", "RAD", 12),
                ]
            ),
        ),
        lead_time=(5, 15),
    ),
)

_CHEMISTRY = {
    "alkaline-lithium-cells": "Alkaline",
    "rechargeable-cells": "NiMH",
    "coin-button-cells": "Lithium",
    "sealed-lead-acid": "Sealed lead-acid (AGM)",
    "two-way-radio-batteries": "Li-ion",
    "mobile-device-batteries": "Li-ion",
}


def _products() -> Iterator[dict]:
    """Every distinct product of every family (about 2,300), in a fixed order."""
    for family in FAMILIES:
        for combo in itertools.product(*family.variants):
            fields: dict = {"x": 1.0}
            for part in combo:
                mult = fields["x"] * part.get("x", 1.0)
                fields.update(part)
                fields["x"] = mult
            fields.setdefault("pack", 1)
            yield {"family": family, "fields": fields}


def _attributes(family: Family, fields: dict) -> dict:
    chemistry = _CHEMISTRY.get(family.category, "")
    if family.name.find("Lithium") >= 0:
        chemistry = "Lithium"
    values = {
        "size": fields.get("size"),
        "voltage": str(fields.get("v") or fields.get("volts") or (12 if "cca" in fields else "")) or None,
        "chemistry": chemistry or None,
        "capacity_mah": fields.get("mah"),
        "capacity_ah": fields.get("ah"),
        "terminal": fields.get("term"),
        "group_size": fields.get("group"),
        "cca": fields.get("cca"),
        "wattage": fields.get("w") or fields.get("tw"),
        "lumens": fields.get("lm") or fields.get("tlm") or (fields["klm"] * 1000 if "klm" in fields else None),
        "color_temp": f"{fields['cct']}K" if "cct" in fields else None,
        "shape": fields.get("shape"),
        "length": fields.get("len"),
    }
    return {k: values[k] for k in family.attributes if values.get(k) not in (None, "")}


def _row(
    rng: random.Random, product: dict, sku: str, discount_floor_bp: int, *, case: int = 1, serial: str = ""
) -> dict:
    """One item. `case` > 1 sells the product by the case (a distinct SKU, as real catalogs do)."""
    family: Family = product["family"]
    fields = product["fields"]
    name = family.name.format(**fields)
    mpn = family.mpn.format(**fields)
    unit = fields.get("unit", family.unit)
    if case > 1:
        name, mpn, unit = f"{name}, case of {case}", f"{mpn}-CS{case}", "CS"
    if serial:
        mpn = f"{mpn}-{serial}"
    list_cents = max(99, round(family.price * fields["x"] * case * rng.uniform(0.92, 1.12) * 100))
    list_cents = list_cents - list_cents % 100 + 99 if list_cents > 500 else list_cents  # $x.99 pricing
    discount_bp = rng.randint(discount_floor_bp, discount_floor_bp + 600)
    contract_cents = list_cents * (10000 - discount_bp) // 10000  # floor: never less than the floor discount
    return {
        "sku": sku,
        "name": name[:300],
        "description": family.description or f"{name}. Sold on the cooperative contract at the contract price.",
        "manufacturer": family.manufacturer,
        "mpn": mpn[:80],
        "unspsc": family.unspsc,
        "unit": unit,
        "pack_size": fields["pack"] * case,
        "list_price": Decimal(list_cents) / 100,
        "contract_price": Decimal(contract_cents) / 100,
        "lead_time_days": rng.randint(*family.lead_time),
        "attributes": _attributes(family, fields),
        "category": family.category,
    }


def _discount_floor_bp(contract: Contract) -> int:
    if contract.min_discount_percent:
        return int((Decimal(str(contract.min_discount_percent)) * 100).to_integral_value()) + 1
    return DEFAULT_DISCOUNT_BP - 200


def catalog_rows(contract: Contract, *, items: int, seed: int = SEED) -> list[dict]:
    """`items` realistic rows for `contract`, deterministic for a given seed."""
    rng = random.Random(seed)
    products = list(_products())
    rng.shuffle(products)
    floor = _discount_floor_bp(contract)
    rows = []
    cases = (1, 6, 12, 24)
    for n in range(items):
        round_, index = divmod(n, len(products))
        serial = "" if round_ < len(cases) else f"V{round_}"
        rows.append(_row(rng, products[index], f"BCB-{100001 + n}", floor, case=cases[round_ % 4], serial=serial))
    return rows


@transaction.atomic
def seed_catalog(contract: Contract, *, items: int = 2000) -> dict[str, int]:
    """Upsert `items` realistic items on `contract` by SKU, each with an initial applied price."""
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    rows = catalog_rows(contract, items=items)
    objs = []
    for row in rows:
        category = categories[row.pop("category")]
        objs.append(
            CatalogItem(
                contract=contract,
                category=category,
                category_path=category.path,
                status=ItemStatus.ACTIVE,
                created_at=now,
                updated_at=now,
                **row,
            )
        )
    fields = [
        "name",
        "description",
        "category",
        "category_path",
        "manufacturer",
        "mpn",
        "unspsc",
        "unit",
        "pack_size",
        "list_price",
        "contract_price",
        "lead_time_days",
        "attributes",
        "status",
    ]
    CatalogItem.objects.bulk_create(
        objs, batch_size=1000, update_conflicts=True, unique_fields=["contract", "sku"], update_fields=fields
    )
    ids = dict(CatalogItem.objects.filter(contract=contract, sku__in=[r["sku"] for r in rows]).values_list("sku", "id"))
    with_history = set(PriceChange.objects.filter(item_id__in=ids.values()).values_list("item_id", flat=True))
    effective = contract.term_start or date.today()
    history = [
        PriceChange(
            item_id=ids[obj.sku],
            new_price=obj.contract_price,
            new_list_price=obj.list_price,
            status=PriceChangeStatus.APPLIED,
            effective_date=effective,
            requested_at=now,
            reason="Initial contract price (award).",
        )
        for obj in objs
        if ids[obj.sku] not in with_history
    ]
    PriceChange.objects.bulk_create(history, batch_size=1000)
    added_words = search_words_refresh(contract_ids=[contract.id])
    return {"items": len(objs), "price_history_added": len(history), "search_words_added": added_words}


# --- Bulk (benchmarks) ---------------------------------------------------------------------------

BULK_INDEXES = (
    "catalogitem_search",
    "catalogitem_sku_trgm",
    "catalogitem_mpn_trgm",
    "catalogitem_active_name",
    "catalogitem_active_price",
    "catalogitem_active_savings",
    "catalogitem_active_manufacturer",
    "catalogitem_active_category_price",
    "catalogitem_active_static",
    "catalogitem_active_category_name",
    "catalogitem_active_category_savings",
)
_COPY_COLUMNS = (
    "contract_id, sku, name, description, category_id, category_path, manufacturer, mpn, unspsc, unit, "
    "pack_size, list_price, contract_price, lead_time_days, status, image_url, attributes, created_at, updated_at"
)


def seed_catalog_bulk(contract: Contract, *, items: int, log=print) -> dict[str, float]:
    """Top `contract` up to `items` items with COPY (bulk SKUs `BCX-…`; existing ones are kept). Bulk items have
    no price history, so they are for search benchmarks, not orders: the demo's orders pick the realistic items."""
    existing = CatalogItem.objects.filter(contract=contract).count()
    missing = items - existing
    if missing <= 0:
        return {"added": 0, "seconds": 0.0}
    started = time.monotonic()
    start_serial = CatalogItem.objects.filter(contract=contract, sku__startswith=BULK_SKU_PREFIX).count()
    categories = {c.slug: c for c in Category.objects.all()}
    products = list(_products())
    rng = random.Random(SEED + start_serial)
    floor = _discount_floor_bp(contract)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contracts_catalogitem' "
            "AND indexname = ANY(%s)",
            [list(BULK_INDEXES)],
        )
        index_defs = cursor.fetchall()
        with transaction.atomic():
            for name, _definition in index_defs:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY contracts_catalogitem ({_COPY_COLUMNS}) FROM STDIN") as copy:
                for n in range(start_serial, start_serial + missing):
                    product = products[rng.randrange(len(products))]
                    case = (1, 1, 1, 6, 12)[n % 5]
                    row = _row(rng, product, f"{BULK_SKU_PREFIX}{n + 1:07d}", floor, case=case, serial=f"X{n + 1}")
                    category = categories[row["category"]]
                    copy.write_row(
                        (
                            contract.id,
                            row["sku"],
                            row["name"],
                            row["description"],
                            category.id,
                            category.path,
                            row["manufacturer"],
                            row["mpn"],
                            row["unspsc"],
                            row["unit"],
                            row["pack_size"],
                            row["list_price"],
                            row["contract_price"],
                            row["lead_time_days"],
                            ItemStatus.ACTIVE,
                            "",
                            json.dumps(row["attributes"]),
                            now,
                            now,
                        )
                    )
            log(f"  copied {missing:,} rows in {time.monotonic() - started:.1f} s; rebuilding search indexes …")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys now
            log(f"  foreign keys checked at {time.monotonic() - started:.1f} s")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for name, definition in index_defs:
                cursor.execute(definition)
                log(f"  index {name} built at {time.monotonic() - started:.1f} s")
        # A bulk load is followed by VACUUM as well as ANALYZE: it sets the visibility map (index-only scans skip
        # the heap) and leaves autovacuum nothing to do, which would otherwise vacuum a million fresh rows and
        # their text indexes for minutes, in the middle of whatever is measured next. (Not inside a transaction,
        # a test's, where VACUUM cannot run.)
        vacuum = not connection.in_atomic_block
        cursor.execute("VACUUM (ANALYZE) contracts_catalogitem" if vacuum else "ANALYZE contracts_catalogitem")
        log(f"  {'vacuumed and analyzed' if vacuum else 'analyzed'} at {time.monotonic() - started:.1f} s")
    search_words_refresh(contract_ids=[contract.id])
    return {"added": missing, "seconds": round(time.monotonic() - started, 1)}
