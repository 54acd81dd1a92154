"""Log records as one JSON object per line: journald, a log shipper or `grep` reads each event whole."""

import datetime as dt
import json
import logging

# Attributes every LogRecord has; anything else was passed through `extra=` and is part of the event.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                event[name] = value
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        # default=str: a request object or a date in `extra` is written as text instead of failing the log.
        return json.dumps(event, ensure_ascii=False, default=str)
