"""Supplier vetting: co-op staff invite a supplier, the supplier completes its profile (EIN, W-9, insurance,
certifications, stores) and submits it, staff verify or send it back, and a daily sweep warns before insurance
and certifications expire and suspends the catalog of a supplier whose insurance has lapsed."""
