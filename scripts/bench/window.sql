-- The hand-written statement that answers the window's everyday read (the
-- `window` mode of make bench), for pgbench: the applicant with its legal
-- representative in office, its list entries in force today with their
-- measures, the count of its penalties of the last three years and its five
-- latest licences, as one JSON object, only the fields the query asks for.
-- A WINDOW caller sees every use scope, so no scope is filtered. The code is
-- drawn at random from bench_codes; :today and :since are bound with -D.
\set i random(1, :ncodes)
SELECT json_build_object('code', s.code, 'name', s.name, 'kind', s.kind, 'status', s.status,
  'legalRepresentative', (SELECT json_build_object('name', p.name, 'code', p.code)
    FROM key_persons k JOIN subjects p ON p.id = k.person_id
    WHERE k.organization_id = s.id AND k.role = 'LEGAL_REPRESENTATIVE'
      AND k.since <= CAST(:today AS date) AND (k.until IS NULL OR k.until >= CAST(:today AS date))
    ORDER BY k.since DESC, k.id DESC LIMIT 1),
  'listEntries', COALESCE((SELECT json_agg(json_build_object('kind', e.kind, 'domain', e.domain,
      'decisionNumber', e.decision_no, 'startsOn', e.starts_on, 'endsOn', e.ends_on,
      'measures', COALESCE((SELECT json_agg(json_build_object('name', m.name, 'legalBasis', m.legal_basis) ORDER BY m.code)
        FROM list_entry_measures lem JOIN measures m ON m.id = lem.measure_id WHERE lem.entry_id = e.id), '[]'))
      ORDER BY e.decided_on DESC, e.id DESC)
    FROM list_entries e WHERE e.subject_id = s.id AND e.status NOT IN ('PROPOSED', 'REJECTED', 'REVOKED')
      AND e.starts_on <= CAST(:today AS date) AND (e.ends_on IS NULL OR e.ends_on >= CAST(:today AS date))
      AND (e.ended_on IS NULL OR e.ended_on > CAST(:today AS date))), '[]'),
  'penalties', json_build_object('totalCount',
    (SELECT count(*) FROM penalties x WHERE x.subject_id = s.id AND x.decided_on >= CAST(:since AS date))),
  'licences', json_build_object('edges', COALESCE((SELECT json_agg(json_build_object('node', json_build_object(
      'decisionNumber', x.decision_no, 'documentName', x.document_name, 'authorityName', x.authority_name,
      'decidedOn', x.decided_on, 'validUntil', x.valid_until))) FROM (SELECT * FROM licences x WHERE x.subject_id = s.id
      ORDER BY x.decided_on DESC, x.id DESC LIMIT 5) x), '[]')))
FROM subjects s WHERE s.code = (SELECT code FROM bench_codes WHERE i = :i);
