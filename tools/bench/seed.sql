-- Benchmark data: 100,000 iApps, 1,000,000 protected data, 1,000,000 orders (:'apps', :'data', :'orders'
-- are replaced by the caller). Deterministic: row i always gets the same values.
INSERT INTO apps (address, owner, name, type, multiaddr, checksum, mrenclave, tee_framework, created_block, created_tx, created_at,
                  listed, title, description, category, tags, required_schema, price, version, listed_at, usage_count)
SELECT '0x' || lpad(to_hex(i), 40, '0'),
       '0x' || lpad(to_hex(1000000 + i % 2000), 40, '0'),
       'app-' || i,
       'DOCKER',
       'bundle://app-' || i,
       '0x' || lpad(to_hex(i), 64, '0'),
       '{"framework":"TDX"}',
       (ARRAY['tdx', 'tdx', 'scone', 'gramine'])[1 + i % 4],
       i, '0x' || lpad(to_hex(i), 64, '0'), now() - make_interval(secs => 100000 - i),
       i % 10 <> 0,
       initcap((ARRAY['email', 'credit', 'weather', 'health', 'image', 'text', 'finance', 'music', 'survey', 'genome'])[1 + i % 10]) || ' '
         || (ARRAY['counter', 'scorer', 'oracle', 'analyzer', 'filter', 'classifier', 'summary', 'detector'])[1 + (i / 10) % 8] || ' ' || i,
       'Processes your ' || (ARRAY['email address', 'bank statements', 'city', 'medical records', 'photos', 'messages', 'portfolio', 'playlists', 'answers', 'DNA'])[1 + i % 10]
         || ' privately inside an enclave and returns only the ' || (ARRAY['count', 'score', 'forecast', 'report', 'labels', 'summary'])[1 + i % 6] || '.',
       (ARRAY['text', 'finance', 'data', 'health', 'media', 'ai', 'science', 'social'])[1 + i % 8],
       ARRAY[(ARRAY['privacy', 'ai', 'defi', 'health', 'media', 'data'])[1 + i % 6], (ARRAY['tee', 'fast', 'new', 'popular'])[1 + i % 4]],
       (ARRAY['{"email":"string"}', '{"statement":"application/pdf"}', '{"city":"string"}', '{"profile":{"age":"f64"}}'])[1 + i % 4]::jsonb,
       (i % 1000) * 1000000, 1, now(), (i * 7919) % 5000
FROM generate_series(1, :apps) AS i;

INSERT INTO protected_data (address, owner, name, multiaddr, checksum, schema, created_block, created_tx, created_at)
SELECT '0x' || lpad(to_hex(10000000 + i), 40, '0'),
       '0x' || lpad(to_hex(2000000 + i % 50000), 40, '0'),
       'data-' || i,
       '/ipfs/Qm' || i,
       '0x' || lpad(to_hex(i), 64, '0'),
       (ARRAY['{"email":"string"}', '{"statement":"application/pdf","name":"string"}', '{"city":"string","email":"string"}', '{"profile":{"age":"f64"}}'])[1 + i % 4]::jsonb,
       i, '0x' || lpad(to_hex(i), 64, '0'), now() - make_interval(secs => 1000000 - i)
FROM generate_series(1, :data) AS i;

INSERT INTO orders (hash, kind, subject, app, dataset, workerpool, requester, signer, price, volume, consumed, tag, category, payload, status, expires_at, published_at)
SELECT '0x' || lpad(to_hex(i), 64, '0'),
       k.kind::order_kind,
       CASE k.kind WHEN 'dataset' THEN '0x' || lpad(to_hex(10000000 + i % 1000000), 40, '0')
                   WHEN 'app' THEN '0x' || lpad(to_hex(1 + i % 100000), 40, '0')
                   WHEN 'workerpool' THEN '0x' || lpad(to_hex(3000000 + i % 10), 40, '0')
                   ELSE '0x' || lpad(to_hex(4000000 + i % 20000), 40, '0') END,
       CASE WHEN k.kind IN ('app', 'request') OR i % 2 = 0 THEN '0x' || lpad(to_hex(1 + i % 100000), 40, '0') END,
       CASE WHEN k.kind = 'dataset' THEN '0x' || lpad(to_hex(10000000 + i % 1000000), 40, '0') END,
       CASE WHEN k.kind = 'workerpool' THEN '0x' || lpad(to_hex(3000000 + i % 10), 40, '0') END,
       CASE WHEN k.kind = 'request' OR i % 3 = 0 THEN '0x' || lpad(to_hex(4000000 + i % 20000), 40, '0') END,
       '0x' || lpad(to_hex(5000000 + i % 50000), 40, '0'),
       (i % 100) * 100000, 1 + i % 10, CASE WHEN i % 7 = 0 THEN 1 + i % 10 ELSE 0 END,
       '0x0000000000000000000000000000000000000000000000000000000000000009', 0,
       -- The signed order as orders.publish stores it (uint256 as decimal strings), so that reading it
       -- back costs what it costs with real orders.
       (CASE k.kind
          WHEN 'app' THEN jsonb_build_object('app', a.app, 'appprice', ((i % 100) * 100000)::text,
            'datasetrestrict', a.zero, 'workerpoolrestrict', a.zero, 'requesterrestrict', a.zero)
          WHEN 'dataset' THEN jsonb_build_object('dataset', a.dataset, 'datasetprice', ((i % 100) * 100000)::text,
            'apprestrict', a.zero, 'workerpoolrestrict', a.zero, 'requesterrestrict', a.zero)
          WHEN 'workerpool' THEN jsonb_build_object('workerpool', a.workerpool, 'workerpoolprice', ((i % 100) * 100000)::text,
            'category', '0', 'trust', '0', 'apprestrict', a.zero, 'datasetrestrict', a.zero, 'requesterrestrict', a.zero)
          ELSE jsonb_build_object('app', a.app, 'appmaxprice', '0', 'dataset', a.zero, 'datasetmaxprice', '0',
            'workerpool', a.zero, 'workerpoolmaxprice', ((i % 100) * 100000)::text, 'requester', a.requester,
            'category', '0', 'trust', '0', 'beneficiary', a.requester, 'callback', a.zero, 'params', '{}')
        END) || jsonb_build_object('volume', (1 + i % 10)::text,
          'tag', '0x0000000000000000000000000000000000000000000000000000000000000009',
          'salt', '0x' || lpad(to_hex(i), 64, '0'), 'sign', '0x' || repeat('ab', 65)),
       CASE WHEN i % 7 = 0 THEN 'filled' WHEN i % 11 = 0 THEN 'cancelled' ELSE 'open' END::order_status,
       CASE WHEN i % 13 = 0 THEN now() - interval '1 day' WHEN i % 5 = 0 THEN now() + interval '30 days' END,
       now() - make_interval(secs => 1000000 - i)
FROM generate_series(1, :orders) AS i,
LATERAL (SELECT CASE WHEN i % 10 < 7 THEN 'dataset' WHEN i % 10 = 7 THEN 'app' WHEN i % 10 = 8 THEN 'workerpool' ELSE 'request' END AS kind) AS k,
LATERAL (SELECT '0x' || lpad(to_hex(1 + i % 100000), 40, '0') AS app,
                '0x' || lpad(to_hex(10000000 + i % 1000000), 40, '0') AS dataset,
                '0x' || lpad(to_hex(3000000 + i % 10), 40, '0') AS workerpool,
                '0x' || lpad(to_hex(4000000 + i % 20000), 40, '0') AS requester,
                '0x0000000000000000000000000000000000000000' AS zero) AS a;

ANALYZE;
