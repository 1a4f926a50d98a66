"""Admin of monitoring datasets, camera stations, media, observations and genetic samples."""
