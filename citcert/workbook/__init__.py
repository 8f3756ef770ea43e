"""The evidence and review workbooks as formats: template writer, reader, models, migration."""
