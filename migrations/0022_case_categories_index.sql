-- The cases of a category: its count on the console's page of categories, and the cases a
-- deleted category leaves without one.
CREATE INDEX cases_category ON cases (category_id);
