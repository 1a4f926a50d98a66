"""Admin of individual animals, cross-border identities and identity matches."""
