"""Operations: backups, moving between engines, the doctor, metrics, graceful stop, deploy."""
