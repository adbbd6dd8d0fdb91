"""Platform adapters: each turns its platform's updates into core events and renders replies."""
