"""Agency set-up for ordering: departments, ship-to facilities, fund/GL codes, approval rules, tax-exemption
certificates and each member's ordering defaults (agency admin pages and API, plus a member's own defaults)."""
