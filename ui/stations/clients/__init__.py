"""The supervisor's Clients tab: client accounts and their logos."""
