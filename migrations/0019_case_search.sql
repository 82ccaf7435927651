-- Text search over support cases: a case's number, subject, description and public comments, and
-- apart from them its internal notes (which only staff search). One row a case, rewritten in the
-- transaction of each change to its text (cases::CaseRepository::indexForSearch).

-- dialect: sqlite
-- FTS5 (rowid: the case's id), words folded to lower case without diacritics, with prefix indexes
-- for queries of words being typed.
CREATE VIRTUAL TABLE case_search USING fts5(number, subject, description, comments, notes,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
  DELETE FROM case_search WHERE rowid = old.id;
END;

-- dialect: postgres
-- Full-text search with the 'simple' configuration (lower case, no stemming), which serves
-- English, Swedish and German alike.
CREATE TABLE case_search (
  case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  public_text TSVECTOR NOT NULL,
  notes_text TSVECTOR NOT NULL,
  PRIMARY KEY (case_id, company_id)
);
CREATE INDEX case_search_public ON case_search USING GIN (public_text);
CREATE INDEX case_search_notes ON case_search USING GIN (notes_text);
