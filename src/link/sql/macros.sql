-- Key hashes used by every linkage pass. Each key is hashed with a tag naming its kind (O order, X exchange
-- order, T trade, XT exchange trade, F fulfillment, Q quote, XQ exchange quote, M manual order), so keys of
-- different kinds never meet. The casts make a key read from a record and the same key read from a side
-- detail (JSON text) hash alike.
CREATE OR REPLACE TEMP MACRO lk_key(tag, d, who, sym, id) AS
  CASE WHEN id IS NOT NULL AND d IS NOT NULL THEN hash(tag, d::BIGINT, who::VARCHAR, sym::VARCHAR, id::VARCHAR) END;

-- Route linkage keys (IM spec §4.1, §3): F firm to firm, E firm to exchange (with session), X exchange to
-- firm. `a` is the sender as both sides write it, `b` the receiver.
CREATE OR REPLACE TEMP MACRO lk_rkey(tag, d, sym, sess, a, b, rid) AS
  CASE WHEN rid IS NOT NULL THEN hash(tag, d::INTEGER, sym::VARCHAR, coalesce(sess, '')::VARCHAR, a::VARCHAR, b::VARCHAR, rid::VARCHAR) END;

-- The reporter an IMID written as CRD:MPID names (exchange ids have no colon).
CREATE OR REPLACE TEMP MACRO lk_reporter_of(imid) AS
  CASE WHEN imid LIKE '%:%' THEN split_part(imid, ':', 2) ELSE imid END;
