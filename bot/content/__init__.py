"""Study material as data: the chapter schema, loading, checking, importing and generation."""
