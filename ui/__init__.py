"""PrepDesk's Qt user interface: thin widgets over the services in ``app/``."""
