"""The directory's pages: home, people and organizations (people), notifications."""
