-- {{TARGET}}: one row per stored record version of {{SCAN}} (a date's files, in file order), numbers and
-- hashes only: every key the record establishes or refers to, its route linkage key, and hashes of the
-- fields explanations compare. Text is read back from the store only for the few events that need it.
-- The table keeps the scan's order with nothing filtered out, so row i is the scan's row i: results are
-- written by a positional join with a second scan instead of a join on record ids.
CREATE OR REPLACE TABLE {{TARGET}} AS
WITH src AS (
  SELECT *,
    -- Option and multi-leg events link exactly like their equity counterparts (MOOR and MLOR like MEOR,
    -- ...; a multi-leg order key has no symbol); a v4.1 Routed Quote (MERQ, MORQ, MLRQ) like a v4.0 New
    -- Quote sent to a destination; a multi-leg quote's supplement (MLQS) like a routed quote's (MERQS).
    -- A package's Order Supplement (MLOS) brings a late FDID like a MENOS, or a route's rejection like a
    -- MEORS when it names a route. An options exchange's acceptance of a package (EXCA) links like EXOA; a
    -- package has no symbol on either side of its route.
    CASE WHEN _type IN ('MERQ', 'MORQ', 'MLRQ') THEN 'MENQ' WHEN _type = 'MLQS' THEN 'MERQS'
      WHEN _type = 'EXCA' THEN 'EXOA'
      WHEN _type = 'MLOS' THEN CASE WHEN routedOrderID IS NULL THEN 'MENOS' ELSE 'MEORS' END
      WHEN _type LIKE 'MO%' OR _type LIKE 'ML%' THEN 'ME' || substr(_type, 3)
      ELSE _type END AS role,
    coalesce(symbol, optionID) AS sym,
    -- In a merger the originating IMID stands in for the reporter in key matching (IM spec §4.1).
    coalesce(originatingIMID, _reporter) AS key_imid
  FROM {{SCAN}}
), keyed AS (
  SELECT *,
    CASE
      WHEN role IN ('MENO', 'MEOA', 'MECO') OR (role IN ('MEOM', 'MEOJ', 'MEOE', 'MECOM', 'MEIM') AND priorOrderID IS NOT NULL)
        OR (role = 'MEIR' AND parentOrderID IS NOT NULL) THEN 'O'
      WHEN role = 'EXOA' OR (role = 'EXOM' AND priorOrderID IS NOT NULL) THEN 'X'
      WHEN role = 'MEOT' THEN 'T'
      WHEN role = 'EXOT' THEN 'XT'
      WHEN role = 'MEOF' OR (role = 'MEFA' AND priorFulfillmentID IS NOT NULL) THEN 'F'
      -- A quote modified under a new quote id (MEQM naming its prior quote) establishes that key.
      WHEN role IN ('MENQ', 'MEQR') OR (role = 'MEQM' AND priorQuoteID IS NOT NULL) THEN 'Q'
      WHEN role = 'EXQT' THEN 'XQ'
    END AS k_kind,
    CASE
      -- A route modification or cancellation (MEMR, MECR) refers to the route it changes: the firm's route
      -- (MEOR, or the MEMR that modified it) of the same order key date and routedOrderID (R).
      WHEN role = 'MEMR' AND coalesce(priorRoutedOrderID, routedOrderID) IS NOT NULL THEN 'R'
      WHEN role IN ('MECR', 'MEORS', 'MEMRS') AND routedOrderID IS NOT NULL THEN 'R'
      -- A route cancellation's supplement (MECRS) names the cancellation: its route's id under tag RC.
      WHEN role = 'MECRS' AND routedOrderID IS NOT NULL THEN 'RC'
      WHEN role IN ('MEOR', 'MEOC', 'MECOC', 'MENOS', 'MEOMS', 'MEMR', 'MECR', 'MEOM', 'MEOJ', 'MECOM', 'MEIR',
        'MEIM', 'MEIC', 'MEOCR', 'MEOMR', 'MEIMR', 'MEICR', 'MEORS', 'MEMRS', 'MECRS', 'MEOE') THEN 'O'
      WHEN role = 'MECO' AND parentOrderID IS NOT NULL THEN 'O'
      WHEN role IN ('EXOC', 'EXOR', 'EXOM') THEN 'X'
      WHEN role = 'MEOTS' THEN 'T'
      WHEN role = 'MEFA' THEN 'F'
      -- A fulfillment's supplement (MEOFS) names the fulfillment's key.
      WHEN role = 'MEOFS' THEN 'F'
      -- Events on a quote (v4.1: modified, status, supplements) name its quote key, like its cancel.
      WHEN role IN ('MEQC', 'MEQM', 'MEQS', 'MENQS', 'MERQS') THEN 'Q'
    END AS kr_kind,
    CASE
      WHEN role IN ('MEOM', 'MEOJ', 'MEOE', 'MECOM', 'EXOM', 'MEIM') AND priorOrderID IS NOT NULL THEN 'prior'
      WHEN role = 'MEMR' AND priorRoutedOrderID IS NOT NULL THEN 'priorRoute'
      WHEN role IN ('MEMR', 'MECR', 'MEORS', 'MEMRS', 'MECRS') THEN 'route'
      WHEN role IN ('MEIR', 'MECO') AND parentOrderID IS NOT NULL THEN 'parent'
      WHEN role = 'MEFA' AND priorFulfillmentID IS NOT NULL THEN 'prior'
      WHEN role = 'MEQM' AND priorQuoteID IS NOT NULL THEN 'prior'
      ELSE 'own'
    END AS kr_field,
    -- Route linkage: S for the side that routes, R for the side that accepts. Quotes route too (Q): a
    -- firm's quote sent to another firm (MENQ with destination) and that firm's Quote Received (MEQR).
    CASE
      WHEN role IN ('MEOR', 'MEMR') AND destinationType IN ('F', 'E') THEN 'S'
      WHEN role = 'EXOR' THEN 'S'
      WHEN role = 'MEOA' AND senderType IN ('F', 'E') AND routedOrderID IS NOT NULL THEN 'R'
      -- A modification received from another member or an exchange (IM spec §4.2): its senderIMID,
      -- receiverIMID and routedOrderID make the key; senderType, when left out, follows from senderIMID.
      WHEN role = 'MEOM' AND routedOrderID IS NOT NULL AND senderIMID IS NOT NULL
        AND coalesce(senderType, 'F') IN ('F', 'E') THEN 'R'
      WHEN role IN ('EXOA', 'EXOM') AND routedOrderID IS NOT NULL AND routingParty IS NOT NULL THEN 'R'
      WHEN role = 'MENQ' AND destination IS NOT NULL AND routedQuoteID IS NOT NULL THEN 'S'
      WHEN role = 'MEQR' AND receivedQuoteID IS NOT NULL THEN 'R'
    END AS rk_side,
    CASE
      WHEN role IN ('MEOR', 'MEMR') THEN destinationType
      WHEN role = 'EXOR' THEN 'X'
      WHEN role IN ('MEOA', 'MEOM') THEN
        CASE coalesce(senderType, CASE WHEN contains(senderIMID, ':') THEN 'F' ELSE 'E' END) WHEN 'E' THEN 'X' ELSE 'F' END
      WHEN role IN ('EXOA', 'EXOM') THEN 'E'
      WHEN role IN ('MENQ', 'MEQR') THEN 'Q'
    END AS rk_fam,
    CASE WHEN role = 'MENQ' THEN routedQuoteID WHEN role = 'MEQR' THEN receivedQuoteID ELSE routedOrderID END AS r_id
  FROM src
), fields AS (
  SELECT *,
    CASE k_kind
      WHEN 'O' THEN orderKeyDate WHEN 'T' THEN tradeKeyDate WHEN 'F' THEN fillKeyDate WHEN 'Q' THEN quoteKeyDate
      WHEN 'X' THEN event_date WHEN 'XT' THEN event_date WHEN 'XQ' THEN event_date
    END AS k_date,
    CASE k_kind
      WHEN 'O' THEN orderID WHEN 'X' THEN orderID WHEN 'T' THEN tradeID WHEN 'XT' THEN tradeID
      WHEN 'F' THEN fulfillmentID WHEN 'Q' THEN quoteID WHEN 'XQ' THEN quoteID
    END AS k_id,
    CASE
      WHEN kr_kind IS NULL THEN NULL
      WHEN kr_field = 'prior' AND kr_kind = 'O' THEN priorOrderKeyDate
      WHEN kr_field = 'parent' THEN parentOrderKeyDate
      WHEN kr_field = 'prior' AND kr_kind = 'F' THEN priorFillKeyDate
      WHEN kr_field = 'prior' AND kr_kind = 'Q' THEN priorQuoteKeyDate
      WHEN kr_kind IN ('O', 'R', 'RC') THEN orderKeyDate WHEN kr_kind = 'T' THEN tradeKeyDate WHEN kr_kind = 'F' THEN fillKeyDate
      WHEN kr_kind = 'Q' THEN quoteKeyDate WHEN kr_kind = 'X' THEN event_date
    END AS kr_date,
    CASE
      WHEN kr_kind IS NULL THEN NULL
      WHEN kr_field = 'prior' AND kr_kind IN ('O', 'X') THEN priorOrderID
      WHEN kr_field = 'parent' THEN parentOrderID
      WHEN kr_field = 'prior' AND kr_kind = 'F' THEN priorFulfillmentID
      WHEN kr_field = 'prior' AND kr_kind = 'Q' THEN priorQuoteID
      WHEN kr_field = 'priorRoute' THEN priorRoutedOrderID
      WHEN kr_kind IN ('R', 'RC') THEN routedOrderID
      WHEN kr_kind IN ('O', 'X') THEN orderID WHEN kr_kind = 'T' THEN tradeID WHEN kr_kind = 'F' THEN fulfillmentID
      WHEN kr_kind = 'Q' THEN quoteID
    END AS kr_id,
    CASE WHEN kr_kind IN ('X', 'Q') THEN _reporter ELSE key_imid END AS kr_imid,
    -- The sender and receiver as both sides of a route write them (IM spec §4.1, §3).
    CASE rk_fam WHEN 'F' THEN senderIMID WHEN 'Q' THEN senderIMID
      WHEN 'E' THEN CASE rk_side WHEN 'S' THEN senderIMID ELSE routingParty END
      WHEN 'X' THEN CASE rk_side WHEN 'S' THEN _reporter ELSE senderIMID END END AS r_sender,
    CASE rk_fam WHEN 'F' THEN CASE rk_side WHEN 'S' THEN destination ELSE receiverIMID END
      WHEN 'Q' THEN CASE rk_side WHEN 'S' THEN destination ELSE receiverIMID END
      WHEN 'E' THEN CASE rk_side WHEN 'S' THEN destination ELSE _reporter END
      WHEN 'X' THEN CASE rk_side WHEN 'S' THEN routingParty ELSE receiverIMID END END AS r_receiver,
    CASE WHEN rk_fam = 'E' THEN "session" END AS r_session
  FROM keyed
)
SELECT
  _event_id, _reporter, _type, role, _event_ns, _received_ns, _processing_date AS pd, event_date, _action,
  -- Received after its deadline (T+1 08:00, T+3 for corrections): it missed the linkage window.
  coalesce(_late, false) AS late,
  hash(_reporter, _roe_id) AS vk,
  sym AS symbol,
  coalesce(manualFlag, false) AS manual,
  CASE
    WHEN role IN ('MENO', 'MENOS', 'MEOR', 'MEOA', 'MEIR', 'MECO', 'MECOM', 'MECOC', 'MEOM', 'MEOMS', 'MEOJ',
      'MEOC', 'MEMR', 'MECR', 'MEIM', 'MEIC', 'MEOCR', 'MEOMR', 'MEIMR', 'MEICR', 'MEORS', 'MEMRS', 'MECRS', 'MEOE') THEN 1
    WHEN role IN ('EXOA', 'EXOM', 'EXOC', 'EXOR') THEN 2
    WHEN role IN ('MEOT', 'MEOTS', 'MEOF', 'MEOFS', 'MEFA', 'EXOT', 'TRFT') THEN 3
    WHEN role IN ('MENQ', 'MEQR', 'MEQC', 'MEQM', 'MEQS', 'MENQS', 'MERQS', 'EXQT') THEN 4
    ELSE 0
  END::TINYINT AS fam,
  k_kind, k_date::BIGINT AS k_date, hash(k_id) AS k_idh,
  lk_key(k_kind, k_date, _reporter, sym, k_id) AS k_self,
  kr_kind, CASE WHEN kr_kind IS NOT NULL THEN kr_field END AS kr_field, kr_date::BIGINT AS kr_date, hash(kr_id) AS kr_idh,
  kr_imid, lk_key(kr_kind, kr_date, kr_imid, sym, kr_id) AS k_ref,
  CASE role
    WHEN 'MEOR' THEN 'route' WHEN 'EXOR' THEN 'route'
    WHEN 'MEOC' THEN 'cancel' WHEN 'MECOC' THEN 'cancel' WHEN 'EXOC' THEN 'cancel' WHEN 'MECR' THEN 'cancel'
    WHEN 'MEQC' THEN 'cancel' WHEN 'MEIC' THEN 'cancel'
    WHEN 'MEOM' THEN 'modify' WHEN 'MEOJ' THEN 'modify' WHEN 'MECOM' THEN 'modify' WHEN 'EXOM' THEN 'modify'
    WHEN 'MEFA' THEN 'modify' WHEN 'MEMR' THEN 'modify' WHEN 'MEIM' THEN 'modify'
    -- A held conditional order becoming effective (v4.1) changes what the order is: a modification.
    WHEN 'MEOE' THEN 'modify'
    WHEN 'MEIR' THEN 'internalRoute' WHEN 'MECO' THEN 'child'
    WHEN 'MENOS' THEN 'supplement' WHEN 'MEOMS' THEN 'supplement' WHEN 'MEOTS' THEN 'supplement' WHEN 'MEOFS' THEN 'supplement'
    WHEN 'MEORS' THEN 'supplement' WHEN 'MEMRS' THEN 'supplement' WHEN 'MECRS' THEN 'supplement'
    -- Quotes are in no lifecycle: these links are checks of the quote key (3501 when it is unknown).
    WHEN 'MEQM' THEN 'modify' WHEN 'MENQS' THEN 'supplement' WHEN 'MERQS' THEN 'supplement'
    -- A request reported apart from the cancellation or modification it asks for (v4).
    WHEN 'MEOCR' THEN 'request' WHEN 'MEOMR' THEN 'request' WHEN 'MEIMR' THEN 'request' WHEN 'MEICR' THEN 'request'
  END AS ref_kind,
  -- The two orders an exchange execution names.
  CASE WHEN role = 'EXOT' THEN lk_key('X', event_date, _reporter, sym, buyOrderID) END AS xb_k,
  CASE WHEN role = 'EXOT' THEN hash(buyOrderID) END AS xb_idh,
  CASE WHEN role = 'EXOT' THEN lk_key('X', event_date, _reporter, sym, sellOrderID) END AS xs_k,
  CASE WHEN role = 'EXOT' THEN hash(sellOrderID) END AS xs_idh,
  -- A key that does not establish an order but that a later event names: a modification's own key, which a
  -- supplement to it (MEOMS) names; a route's order key date and routedOrderID, which its modification or
  -- cancellation (MEMR, MECR) and its supplement (MEORS, MEMRS) name, and a route cancellation's (MECRS). Several events may share one; a reference takes the nearest (below).
  CASE WHEN role = 'MEOM' THEN lk_key('O', orderKeyDate, _reporter, sym, orderID)
    WHEN role IN ('MEOR', 'MEMR') THEN lk_key('R', orderKeyDate, key_imid, sym, routedOrderID)
    WHEN role = 'MECR' THEN lk_key('RC', orderKeyDate, key_imid, sym, routedOrderID) END AS k_own,
  -- The manual order an electronic duplicate names (IM spec §4.1 Manual Order Key).
  manualOrderKeyDate::BIGINT AS km_date, hash(manualOrderID) AS km_idh,
  lk_key('O', manualOrderKeyDate, _reporter, sym, manualOrderID) AS k_manual,
  rk_side, rk_fam,
  CASE rk_fam
    WHEN 'F' THEN lk_rkey('F', event_date, sym, NULL, r_sender, r_receiver, r_id)
    WHEN 'E' THEN lk_rkey('E', event_date, sym, "session", r_sender, r_receiver, r_id)
    WHEN 'X' THEN lk_rkey('X', event_date, sym, NULL, r_sender, r_receiver, r_id)
    WHEN 'Q' THEN lk_rkey('Q', event_date, sym, NULL, r_sender, r_receiver, r_id)
  END AS rk,
  CASE WHEN r_id IS NOT NULL AND rk_side IS NOT NULL THEN hash(r_id) END AS rid_h,
  hash(r_sender) AS snd_h, hash(r_receiver) AS rcv_h, hash(r_session) AS ses_h,
  lk_reporter_of(CASE rk_side WHEN 'S' THEN r_receiver ELSE r_sender END) AS r_party,
  -- A modification reaching the receiver (MEOM, EXOM) pairs with a route but is not its accept; a route
  -- to an exchange reusing its routedOrderID (dupROIDCond) is such a modification, and so is a route
  -- modification (MEMR) that keeps the route's routedOrderID.
  (role IN ('MEOM', 'EXOM') OR (role IN ('MEOR', 'MEMR') AND coalesce(dupROIDCond, false))
    OR (role = 'MEMR' AND priorRoutedOrderID IS NULL)) AS rt_mod,
  coalesce(routeRejectedFlag, quoteRejectedFlag, false) AS route_rejected,
  (aggregatedOrders IS NOT NULL AND aggregatedOrders <> '[]') AS agg,
  NULL::INTEGER AS dup_code,
  _action = 'DEL' AS gone,
  _action = 'DEL' AS rejected,
  {{DELTA}} AS delta,
  false AS prior,
  NULL::INTEGER AS prior_date,
  NULL::BIGINT AS prior_num
FROM fields;
