"""Operating the bot: backups, moving between databases, the doctor, health and metrics."""
