"""The supervisor's Billing tab."""
