"""Demo data: one cooperative, three member agencies (plus one applicant), one battery, power and lighting
supplier with locally owned franchise stores, and its cooperative contract. All names are fictional."""

from datetime import date

DEMO_PASSWORD = "coop-demo-2026!"

COOPERATIVE = {
    "slug": "gulf-atlantic-coop",
    "name": "Gulf & Atlantic Public Purchasing Cooperative",
    "code": "GAPPC",
    "time_zone": "America/New_York",
    "users": [
        ("staff@gulf-atlantic-coop.test", "Dana Whitfield", "Contract Specialist", ["coop_staff"]),
        ("admin@gulf-atlantic-coop.test", "Marcus Oyelaran", "Executive Director", ["coop_admin", "coop_staff"]),
    ],
}

AGENCIES = [
    {
        "slug": "city-of-maple-ridge",
        "name": "City of Maple Ridge",
        "code": "MRC",
        "time_zone": "America/New_York",
        "fiscal_year_start_month": 10,
        "profile": {
            "agency_type": "city",
            "state": "FL",
            "population": 84_500,
            "website": "https://www.mapleridge-fl.test",
            "email_domain": "maple-ridge.test",
        },
        "membership": "active",
        "users": [
            ("buyer@maple-ridge.test", "Priya Natarajan", "Fleet Maintenance Buyer", ["requester"]),
            ("approver@maple-ridge.test", "Tom Beckett", "Public Works Director", ["approver"]),
            ("admin@maple-ridge.test", "Lena Okafor", "Procurement Manager", ["agency_admin", "approver"]),
            ("finance@maple-ridge.test", "Grace Liu", "Accounts Payable Lead", ["finance"]),
        ],
        "facilities": [
            (
                "Public Works Fleet Garage",
                "1200 Industrial Pkwy",
                "Maple Ridge",
                "FL",
                "32771",
                "Ray Dominguez",
                28.8029,
                -81.2690,
            ),
            ("Fire Station 3", "455 Oakmont Ave", "Maple Ridge", "FL", "32773", "Capt. Ana Ruiz", 28.7722, -81.2801),
            (
                "City Hall Facilities",
                "1 Civic Center Plaza",
                "Maple Ridge",
                "FL",
                "32771",
                "Jon Pryor",
                28.8106,
                -81.2731,
            ),
        ],
    },
    {
        "slug": "harbor-county",
        "name": "Harbor County",
        "code": "HBC",
        "time_zone": "America/Chicago",
        "fiscal_year_start_month": 10,
        "profile": {
            "agency_type": "county",
            "state": "TX",
            "population": 312_000,
            "website": "https://www.harborcounty-tx.test",
            "email_domain": "harbor-county.test",
        },
        "membership": "active",
        "users": [
            ("buyer@harbor-county.test", "Luis Carrillo", "Emergency Management Buyer", ["requester"]),
            ("approver@harbor-county.test", "Beth Sandoval", "Purchasing Agent", ["approver"]),
            ("admin@harbor-county.test", "Kwame Mensah", "County Purchasing Director", ["agency_admin"]),
        ],
        "facilities": [
            (
                "Emergency Operations Center",
                "800 Seawall Blvd",
                "Port Harbor",
                "TX",
                "77550",
                "Dee Tran",
                29.2950,
                -94.7880,
            ),
            ("Road & Bridge Yard", "4100 County Rd 12", "Port Harbor", "TX", "77551", "Mike Hollis", 29.2700, -94.8300),
        ],
    },
    {
        "slug": "pine-valley-usd",
        "name": "Pine Valley Unified School District",
        "code": "PVU",
        "time_zone": "America/New_York",
        "fiscal_year_start_month": 7,
        "profile": {
            "agency_type": "school_district",
            "state": "NC",
            "population": 41_000,
            "website": "https://www.pinevalley-usd.test",
            "email_domain": "pine-valley-usd.test",
        },
        "membership": "active",
        "users": [
            ("buyer@pine-valley-usd.test", "Hannah Brooks", "Maintenance Coordinator", ["requester"]),
            (
                "admin@pine-valley-usd.test",
                "Victor Alvarez",
                "Business Services Director",
                ["agency_admin", "approver", "finance"],
            ),
        ],
        "facilities": [
            (
                "District Maintenance Warehouse",
                "77 Schoolhouse Rd",
                "Pine Valley",
                "NC",
                "27560",
                "Sam Oduya",
                35.8601,
                -78.7800,
            ),
        ],
    },
    {
        "slug": "cedar-falls-water",
        "name": "Cedar Falls Water District",
        "code": "CFW",
        "time_zone": "America/New_York",
        "fiscal_year_start_month": 1,
        "profile": {
            "agency_type": "special_district",
            "state": "GA",
            "population": 58_000,
            "website": "https://www.cedarfallswater.test",
            "email_domain": "cedar-falls-water.test",
        },
        "membership": "applied",
        "users": [("admin@cedar-falls-water.test", "Irene Kowalski", "Operations Manager", ["agency_admin"])],
        "facilities": [],
    },
]

SUPPLIER = {
    "slug": "brightcell",
    "name": "BrightCell Batteries + Bulbs",
    "profile": {
        "legal_name": "BrightCell Franchise Systems, LLC",
        "dba": "BrightCell Batteries + Bulbs",
        "ein": "12-3456789",
        "website": "https://www.brightcell.test",
        "phone": "(800) 555-0142",
        "remit_to": "BrightCell Franchise Systems, LLC\nPO Box 4410\nCharlotte, NC 28201",
        "description": "Batteries, power and lighting for fleets, facilities, public safety and schools — "
        "through a network of locally owned franchise stores.",
        "vetting_status": "verified",
        "insurance_expires_on": date(2027, 6, 30),
        "small_business": False,
        "certifications": ["Locally owned franchise network"],
    },
    "users": [
        ("catalog@brightcell.test", "Olivia Grant", "Catalog Manager", ["catalog_manager"]),
        ("orders@brightcell.test", "Deshawn Price", "Government Order Desk", ["order_desk"]),
        (
            "admin@brightcell.test",
            "Karen Holt",
            "Government Sales Director",
            ["supplier_admin", "catalog_manager", "order_desk"],
        ),
    ],
    "stores": [
        (
            "BrightCell of Sanford",
            "Mendez Family Enterprises",
            "3801 Orlando Dr",
            "Sanford",
            "FL",
            "32773",
            28.7670,
            -81.2870,
            40,
        ),
        (
            "BrightCell of Orlando North",
            "Patel Power Co.",
            "990 N Mills Ave",
            "Orlando",
            "FL",
            "32803",
            28.5580,
            -81.3640,
            35,
        ),
        (
            "BrightCell of Galveston",
            "Gulf Light & Power LLC",
            "6120 Broadway St",
            "Galveston",
            "TX",
            "77551",
            29.2890,
            -94.8140,
            50,
        ),
        (
            "BrightCell of Raleigh",
            "Triangle Cells Inc.",
            "4300 Capital Blvd",
            "Raleigh",
            "NC",
            "27604",
            35.8290,
            -78.5890,
            45,
        ),
        (
            "BrightCell of Atlanta Midtown",
            "Peachtree Power Partners",
            "1100 Spring St NW",
            "Atlanta",
            "GA",
            "30309",
            33.7860,
            -84.3890,
            40,
        ),
    ],
}

CONTRACT = {
    "number": "GAPPC-2026-017",
    "slug": "gappc-2026-017",
    "title": "Batteries, Power and Lighting Products and Related Services",
    "description": "Batteries for emergency backup systems, fleet and facility maintenance, UPS units, mobile "
    "technology and two-way radios; energy-efficient LED lighting and fixtures; recycling and installation services.",
    "solicitation_number": "RFP 2025-14",
    "solicitation_method": "RFP",
    "solicitation_issued_on": date(2025, 8, 4),
    "solicitation_closed_on": date(2025, 9, 19),
    "evaluation_summary": "Eleven proposals were evaluated by a committee of five member-agency procurement officers "
    "on price (40%), product range and availability (25%), local fulfilment (20%) and references (15%). "
    "The evaluation was administered by an independent procurement consultancy.",
    "award_date": date(2026, 1, 15),
    "term_start": date(2026, 2, 1),
    "term_end": date(2029, 1, 31),
    "renewal_options": "Two optional one-year renewals (to January 31, 2031)",
    "status": "active",
    "pricing_basis": "min_discount",
    "min_discount_percent": "30.00",
    "admin_fee_rate": "0.0200",
    "states": [],
}

OPERATOR = ("operator@coop-marketplace.test", "Platform Operator")
