"""Incidents, joint patrols and the shared map."""
