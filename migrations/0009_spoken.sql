-- Whether an answer was dictated (speech recognition in the browser) rather than typed.
ALTER TABLE attempts ADD COLUMN spoken INTEGER NOT NULL DEFAULT 0;
