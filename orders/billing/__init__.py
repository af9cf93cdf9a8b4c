"""Invoices and payments ("Ordering, part 2"): the one module of the project that imports `stripe`."""
