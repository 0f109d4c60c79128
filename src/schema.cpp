#include "schema.hpp"

#include <vector>

namespace newsidx::schema {

namespace {

// Version 1: the normalised store with an external-content FTS5 index.
constexpr std::string_view k_version_1 = R"sql(
CREATE TABLE sources (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE
);

CREATE TABLE authors (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE
);

-- id = yyyymmdd * 10^7 + n; month/day 00 when unknown, 0 for undated articles.
CREATE TABLE articles (
  id                    INTEGER PRIMARY KEY,
  title                 TEXT,
  title_derived         TEXT,
  date                  TEXT,
  date_precision        TEXT CHECK (date_precision IN ('day', 'month', 'year')),
  date_origin           TEXT,
  date_first            INTEGER,
  date_last             INTEGER,
  date_inferred         TEXT,
  date_inferred_origin  TEXT,
  source_id             INTEGER REFERENCES sources(id),
  dateline              TEXT,
  lang                  TEXT,
  url                   TEXT,
  encoding              TEXT,
  word_count            INTEGER NOT NULL,
  body                  TEXT NOT NULL,
  content_hash          TEXT NOT NULL UNIQUE,
  ingested_at           INTEGER NOT NULL
);
CREATE INDEX articles_by_date ON articles(date_first, date_last);
CREATE INDEX articles_by_source ON articles(source_id);

CREATE TABLE article_authors (
  article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
  position    INTEGER NOT NULL,
  author_id   INTEGER NOT NULL REFERENCES authors(id),
  PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_authors_by_author ON article_authors(author_id);

CREATE TABLE files (
  id           INTEGER PRIMARY KEY,
  path         TEXT NOT NULL UNIQUE,
  size         INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  hash         TEXT NOT NULL,
  article_id   INTEGER NOT NULL REFERENCES articles(id) ON UPDATE CASCADE,
  ingested_at  INTEGER NOT NULL
);
CREATE INDEX files_by_article ON files(article_id);

-- What the full-text index sees: the headline (or the derived one) and the body.
-- newsidx_fts_lang(lang, text) returns `text` unchanged and tells the "newsidx" tokenizer
-- (src/tokenizer.cpp) the article's language, so that its words are stemmed in that
-- language by the triggers below and by FTS5's 'rebuild' and 'integrity-check', which read
-- this view. Snippets read the same view and see the stored text as it is.
CREATE VIEW articles_fts_content AS
  SELECT id, newsidx_fts_lang(lang, coalesce(title, title_derived, '')) AS title, body
  FROM articles;

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body,
  content = 'articles_fts_content', content_rowid = 'id',
  tokenize = 'newsidx'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, newsidx_fts_lang(new.lang, coalesce(new.title, new.title_derived, '')),
            new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, title_derived, body, lang
ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            old.body);
  INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, newsidx_fts_lang(new.lang, coalesce(new.title, new.title_derived, '')),
            new.body);
END;
)sql";

// Version 2: near-duplicates. `dup_band0..3` are the article's MinHash band keys
// (src/near_duplicates.cpp), indexed so that candidates are found without a scan;
// `duplicate_of` points at the earlier article a near-duplicate folds into.
constexpr std::string_view k_version_2 = R"sql(
ALTER TABLE articles ADD COLUMN dup_band0 INTEGER;
ALTER TABLE articles ADD COLUMN dup_band1 INTEGER;
ALTER TABLE articles ADD COLUMN dup_band2 INTEGER;
ALTER TABLE articles ADD COLUMN dup_band3 INTEGER;
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER;
CREATE INDEX articles_dup_band0 ON articles(dup_band0) WHERE dup_band0 IS NOT NULL;
CREATE INDEX articles_dup_band1 ON articles(dup_band1) WHERE dup_band1 IS NOT NULL;
CREATE INDEX articles_dup_band2 ON articles(dup_band2) WHERE dup_band2 IS NOT NULL;
CREATE INDEX articles_dup_band3 ON articles(dup_band3) WHERE dup_band3 IS NOT NULL;
CREATE INDEX articles_by_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE TRIGGER articles_duplicate_release AFTER DELETE ON articles BEGIN
  UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = old.id;
END;
CREATE TRIGGER articles_duplicate_follow AFTER UPDATE OF id ON articles BEGIN
  UPDATE articles SET duplicate_of = new.id WHERE duplicate_of = old.id;
END;
)sql";

// Version 3: bodies are stored zstd-compressed (src/compression.cpp). The content view and
// the triggers read them through newsidx_text(), which also passes older plain-text rows
// through unchanged, so no row has to be rewritten.
constexpr std::string_view k_version_3 = R"sql(
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP VIEW articles_fts_content;
CREATE VIEW articles_fts_content AS
  SELECT id, newsidx_fts_lang(lang, coalesce(title, title_derived, '')) AS title,
         newsidx_text(body) AS body
  FROM articles;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, newsidx_fts_lang(new.lang, coalesce(new.title, new.title_derived, '')),
            newsidx_text(new.body));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            newsidx_text(old.body));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, title_derived, body, lang
ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            newsidx_text(old.body));
  INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, newsidx_fts_lang(new.lang, coalesce(new.title, new.title_derived, '')),
            newsidx_text(new.body));
END;
)sql";

// Version 4: new articles reach the index from ArticleStore::put, which hands FTS5 the
// plain text it already has, instead of from a trigger that decompressed the body just
// written. FTS5's in-memory hash grows to 64 MiB before it writes a segment ('hashsize',
// kept in articles_fts_config): fewer, larger segments, less merging during ingest.
constexpr std::string_view k_version_4 = R"sql(
DROP TRIGGER articles_fts_insert;
INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 67108864);
)sql";

// Version 5: new bodies go to article_bodies, whose ids follow the order of ingest, and
// articles keeps a small row pointing at them (body_id; body is then ''). Article ids
// follow dates and arrive in any order, so every insert lands somewhere inside the
// articles table; with 1-2 KB bodies inline that meant a page split every few inserts.
// Older rows keep their body inline (body_id NULL). A body row goes with its article
// (the triggers below).
constexpr std::string_view k_version_5 = R"sql(
CREATE TABLE article_bodies (
  id    INTEGER PRIMARY KEY,
  body  BLOB NOT NULL
);
ALTER TABLE articles ADD COLUMN body_id INTEGER;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP VIEW articles_fts_content;
)sql";

// The content view and the index's delete and update triggers as version 5 wrote them;
// version 6 writes them again after building the articles table anew. Never edit: both
// migrations run this text. (A later change to them is a migration of its own.)
constexpr std::string_view k_content_view_v5 = R"sql(
CREATE VIEW articles_fts_content AS
  SELECT id, newsidx_fts_lang(lang, coalesce(title, title_derived, '')) AS title,
         newsidx_text(coalesce((SELECT b.body FROM article_bodies b WHERE b.id = body_id), body))
           AS body
  FROM articles;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            newsidx_text(coalesce((SELECT b.body FROM article_bodies b WHERE b.id = old.body_id),
                                  old.body)));
  DELETE FROM article_bodies WHERE id = old.body_id;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, title_derived, body, body_id, lang
ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
    VALUES ('delete', old.id, newsidx_fts_lang(old.lang, coalesce(old.title, old.title_derived, '')),
            newsidx_text(coalesce((SELECT b.body FROM article_bodies b WHERE b.id = old.body_id),
                                  old.body)));
  INSERT INTO articles_fts(rowid, title, body)
    VALUES (new.id, newsidx_fts_lang(new.lang, coalesce(new.title, new.title_derived, '')),
            newsidx_text(coalesce((SELECT b.body FROM article_bodies b WHERE b.id = new.body_id),
                                  new.body)));
  DELETE FROM article_bodies WHERE id = old.body_id AND old.body_id IS NOT new.body_id;
END;
)sql";

// Version 6: content_hash is unique through a named index (articles_by_content_hash)
// instead of a UNIQUE column constraint, whose index SQLite cannot drop. A bulk load drops
// it like the others and checks hashes in memory (src/content_hash_table.hpp): its random
// keys made about a fifth of what each batch of a large load wrote. SQLite cannot change a
// column's constraints in place, so the table is built again, the same rows under the same
// ids, and its view, triggers and indexes with it. Run with foreign keys off (migrate() in
// store.cpp): with them on, dropping the old table would delete its authors by cascade.
constexpr std::string_view k_version_6 = R"sql(
DROP VIEW articles_fts_content;
CREATE TABLE articles_v6 (
  id                    INTEGER PRIMARY KEY,
  title                 TEXT,
  title_derived         TEXT,
  date                  TEXT,
  date_precision        TEXT CHECK (date_precision IN ('day', 'month', 'year')),
  date_origin           TEXT,
  date_first            INTEGER,
  date_last             INTEGER,
  date_inferred         TEXT,
  date_inferred_origin  TEXT,
  source_id             INTEGER REFERENCES sources(id),
  dateline              TEXT,
  lang                  TEXT,
  url                   TEXT,
  encoding              TEXT,
  word_count            INTEGER NOT NULL,
  body                  TEXT NOT NULL,
  content_hash          TEXT NOT NULL,
  ingested_at           INTEGER NOT NULL,
  dup_band0             INTEGER,
  dup_band1             INTEGER,
  dup_band2             INTEGER,
  dup_band3             INTEGER,
  duplicate_of          INTEGER,
  body_id               INTEGER
);
INSERT INTO articles_v6
  SELECT id, title, title_derived, date, date_precision, date_origin, date_first, date_last,
         date_inferred, date_inferred_origin, source_id, dateline, lang, url, encoding,
         word_count, body, content_hash, ingested_at, dup_band0, dup_band1, dup_band2,
         dup_band3, duplicate_of, body_id
  FROM articles;
DROP TABLE articles;
ALTER TABLE articles_v6 RENAME TO articles;
CREATE UNIQUE INDEX articles_by_content_hash ON articles(content_hash);
CREATE INDEX articles_by_date ON articles(date_first, date_last);
CREATE INDEX articles_by_source ON articles(source_id);
CREATE INDEX articles_dup_band0 ON articles(dup_band0) WHERE dup_band0 IS NOT NULL;
CREATE INDEX articles_dup_band1 ON articles(dup_band1) WHERE dup_band1 IS NOT NULL;
CREATE INDEX articles_dup_band2 ON articles(dup_band2) WHERE dup_band2 IS NOT NULL;
CREATE INDEX articles_dup_band3 ON articles(dup_band3) WHERE dup_band3 IS NOT NULL;
CREATE INDEX articles_by_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE TRIGGER articles_duplicate_release AFTER DELETE ON articles BEGIN
  UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = old.id;
END;
CREATE TRIGGER articles_duplicate_follow AFTER UPDATE OF id ON articles BEGIN
  UPDATE articles SET duplicate_of = new.id WHERE duplicate_of = old.id;
END;
)sql";

// Each migration as one script: versions 5 and 6 end with the same content view and
// triggers.
const std::vector<std::string>& migration_scripts() {
  static const std::vector<std::string> scripts = {
      std::string(k_version_1),
      std::string(k_version_2),
      std::string(k_version_3),
      std::string(k_version_4),
      std::string(k_version_5) + std::string(k_content_view_v5),
      std::string(k_version_6) + std::string(k_content_view_v5),
  };
  return scripts;
}

constexpr IndexDefinition k_bulk_deferred_indexes[] = {
    {"articles_by_content_hash",
     "CREATE UNIQUE INDEX articles_by_content_hash ON articles(content_hash)"},
    {"articles_by_date", "CREATE INDEX articles_by_date ON articles(date_first, date_last)"},
    {"articles_by_source", "CREATE INDEX articles_by_source ON articles(source_id)"},
    {"article_authors_by_author",
     "CREATE INDEX article_authors_by_author ON article_authors(author_id)"},
    {"articles_dup_band0",
     "CREATE INDEX articles_dup_band0 ON articles(dup_band0) WHERE dup_band0 IS NOT NULL"},
    {"articles_dup_band1",
     "CREATE INDEX articles_dup_band1 ON articles(dup_band1) WHERE dup_band1 IS NOT NULL"},
    {"articles_dup_band2",
     "CREATE INDEX articles_dup_band2 ON articles(dup_band2) WHERE dup_band2 IS NOT NULL"},
    {"articles_dup_band3",
     "CREATE INDEX articles_dup_band3 ON articles(dup_band3) WHERE dup_band3 IS NOT NULL"},
};

} // namespace

std::span<const std::string> migrations() {
  return migration_scripts();
}

std::span<const IndexDefinition> bulk_deferred_indexes() {
  return k_bulk_deferred_indexes;
}

} // namespace newsidx::schema
