"""The DuckDB schema: documents, mentions (one coded event in one sentence) and events
(groups of mentions that report the same happening), like GDELT 2.0's Events and
Mentions tables.

No column holds wall-clock time: ingesting the same input twice, or again after a crash,
must give exactly the same database.
"""

from __future__ import annotations

SCHEMA_VERSION = 2

DDL = """
CREATE TABLE IF NOT EXISTS flashpoint_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    title VARCHAR, date DATE, url VARCHAR, source VARCHAR, origin VARCHAR,
    n_chars INTEGER, tone DOUBLE,
    signature UBIGINT[],               -- MinHash of the text's 3-word shingles
    duplicate_of VARCHAR               -- the stored document this one repeats, or NULL
);
CREATE TABLE IF NOT EXISTS document_bands (band INTEGER, hash UBIGINT, doc_id VARCHAR);
CREATE TABLE IF NOT EXISTS mentions (
    mention_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL, sentence_index INTEGER, sentence VARCHAR, date DATE,
    event_code VARCHAR, root_code VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    source_code VARCHAR, source_country VARCHAR, source_role VARCHAR, source_text VARCHAR,
    source_start INTEGER,
    target_code VARCHAR, target_country VARCHAR, target_role VARCHAR, target_text VARCHAR,
    target_start INTEGER,
    modality VARCHAR, attributed_to VARCHAR,
    trigger_text VARCHAR, trigger_start INTEGER,
    plover_type VARCHAR, plover_mode VARCHAR,
    doc_tone DOUBLE,
    location_name VARCHAR, location_country VARCHAR, latitude DOUBLE, longitude DOUBLE,
    location_precision VARCHAR,       -- city, country (a country centroid) or NULL
    event_id VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    global_id BIGINT,
    first_date DATE, last_date DATE,
    source_code VARCHAR, source_country VARCHAR, source_role VARCHAR, source_text VARCHAR,
    target_code VARCHAR, target_country VARCHAR, target_role VARCHAR, target_text VARCHAR,
    event_code VARCHAR, root_code VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    plover_type VARCHAR, plover_mode VARCHAR,
    num_mentions INTEGER, num_sources INTEGER, num_articles INTEGER, avg_tone DOUBLE,
    asserted BOOLEAN,               -- some mention asserts it (else only alleged, ...)
    modalities VARCHAR,             -- the modalities of its mentions, sorted, comma-separated
    location_name VARCHAR, location_country VARCHAR, latitude DOUBLE, longitude DOUBLE,
    location_precision VARCHAR,
    first_mention VARCHAR, source_url VARCHAR,
    group_key VARCHAR               -- source, target and root the event was grouped under
);
"""
