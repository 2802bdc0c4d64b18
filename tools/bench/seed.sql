-- Benchmark data (api and market suites): 100,000 iApps, 1,000,000 protected data, 1,000,000 orders (:'apps', :'data', :'orders'
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

-- Protected data of varied schemas, so that `schema_contains` filters range from broad (email:string,
-- about 45%) through medium (photo:image/jpeg, 5%) to selective (model.weights, 0.5%; medical.*,
-- 0.01%); 2% are plain datasets (no schema: not protected data).
INSERT INTO protected_data (address, owner, name, multiaddr, checksum, schema, created_block, created_tx, created_at)
SELECT '0x' || lpad(to_hex(10000000 + i), 40, '0'),
       '0x' || lpad(to_hex(2000000 + i % 50000), 40, '0'),
       'data-' || i,
       '/ipfs/Qm' || i,
       '0x' || lpad(to_hex(i), 64, '0'),
       (CASE
          WHEN i % 10007 = 0 THEN '{"medical":{"record":"application/pdf","bloodType":"string"},"name":"string"}'
          WHEN i % 200 = 0 THEN '{"score":"f64","model":{"weights":"application/octet-stream","name":"string"}}'
          WHEN i % 50 = 1 THEN NULL
          WHEN i % 20 = 2 THEN '{"photo":"image/jpeg","caption":"string"}'
          WHEN i % 20 = 3 THEN '{"telegram_chatId":"string"}'
          WHEN i % 20 IN (4, 5) THEN '{"profile":{"age":"f64","city":"string"},"email":"string"}'
          WHEN i % 20 IN (6, 7) THEN '{"statement":"application/pdf","name":"string"}'
          WHEN i % 20 IN (8, 9) THEN '{"city":"string","email":"string"}'
          WHEN i % 20 IN (10, 11, 12) THEN '{"email":"string","name":"string"}'
          WHEN i % 20 IN (13, 14) THEN '{"file":"application/octet-stream"}'
          WHEN i % 20 = 15 THEN '{"profile":{"age":"f64"}}'
          ELSE '{"email":"string"}'
        END)::jsonb,
       i, '0x' || lpad(to_hex(i), 64, '0'), now() - make_interval(secs => 1000000 - i)
FROM generate_series(1, :data) AS i;

-- The orderbook as the market API sees it: the four kinds (70% dataset orders, i.e. grants), each a
-- signed order as orders.publish stores it (uint256 as decimal strings) whose restrictions, tag,
-- category and volume are the row's columns; standard (0x0) and TDX tags; some filled, partly
-- consumed, cancelled, unpublished or expired. Row i always gets the same values.
INSERT INTO orders (hash, kind, subject, app, dataset, workerpool, requester, signer, price, volume, consumed, tag, category, payload,
                    status, expires_at, published_at, unpublished_at)
SELECT '0x' || lpad(to_hex(i), 64, '0'),
       c.kind::order_kind, c.subject, c.app, c.dataset, c.workerpool, c.requester,
       '0x' || lpad(to_hex(5000000 + i % 50000), 40, '0'),
       c.price, c.volume, c.consumed, c.tag, c.category,
       (CASE c.kind
          WHEN 'app' THEN jsonb_build_object('app', c.app, 'appprice', c.price::text, 'datasetrestrict', coalesce(c.dataset, z.zero),
            'workerpoolrestrict', coalesce(c.workerpool, z.zero), 'requesterrestrict', coalesce(c.requester, z.zero))
          WHEN 'dataset' THEN jsonb_build_object('dataset', c.dataset, 'datasetprice', c.price::text, 'apprestrict', coalesce(c.app, z.zero),
            'workerpoolrestrict', coalesce(c.workerpool, z.zero), 'requesterrestrict', coalesce(c.requester, z.zero))
          WHEN 'workerpool' THEN jsonb_build_object('workerpool', c.workerpool, 'workerpoolprice', c.price::text,
            'category', c.category::text, 'trust', '0', 'apprestrict', coalesce(c.app, z.zero),
            'datasetrestrict', coalesce(c.dataset, z.zero), 'requesterrestrict', coalesce(c.requester, z.zero))
          ELSE jsonb_build_object('app', c.app, 'appmaxprice', '0', 'dataset', coalesce(c.dataset, z.zero), 'datasetmaxprice', '0',
            'workerpool', coalesce(c.workerpool, z.zero), 'workerpoolmaxprice', c.price::text, 'requester', c.requester,
            'category', c.category::text, 'trust', '0', 'beneficiary', c.requester, 'callback', z.zero, 'params', '{}')
        END) || jsonb_build_object('volume', c.volume::text, 'tag', c.tag,
          'salt', '0x' || lpad(to_hex(i), 64, '0'), 'sign', '0x' || repeat('ab', 65)),
       CASE WHEN c.consumed >= c.volume THEN 'filled' WHEN i % 11 = 0 THEN 'cancelled' ELSE 'open' END::order_status,
       CASE WHEN c.kind = 'dataset' AND i % 13 = 0 THEN now() - interval '1 day'
            WHEN c.kind = 'dataset' AND i % 5 = 0 THEN now() + interval '30 days' END,
       now() - make_interval(secs => 1000000 - i),
       CASE WHEN i % 17 = 0 THEN now() - interval '1 hour' END
FROM generate_series(1, :orders) AS i,
LATERAL (SELECT '0x0000000000000000000000000000000000000000' AS zero,
                '0x' || lpad(to_hex(1 + i % 100000), 40, '0') AS app,
                '0x' || lpad(to_hex(10000000 + i % 1000000), 40, '0') AS dataset,
                '0x' || lpad(to_hex(3000000 + (i / 10) % 10), 40, '0') AS workerpool,
                '0x' || lpad(to_hex(4000000 + i % 20000), 40, '0') AS requester,
                i / 10 AS j,
                CASE WHEN i % 10 < 7 THEN 'dataset' WHEN i % 10 = 7 THEN 'app' WHEN i % 10 = 8 THEN 'workerpool' ELSE 'request' END AS kind,
                -- 1 in 50 grants is a bulk grant (free, unlimited volume), as DataProtector's bulk access.
                i % 10 < 7 AND i % 50 = 0 AS bulk) AS z,
LATERAL (SELECT z.kind,
                CASE z.kind WHEN 'dataset' THEN z.dataset WHEN 'app' THEN z.app WHEN 'workerpool' THEN z.workerpool ELSE z.requester END AS subject,
                -- app: the order's app, an app restriction (every other grant) or none.
                CASE WHEN z.kind IN ('app', 'request') OR (z.kind = 'dataset' AND i % 2 = 0) OR (z.kind = 'workerpool' AND z.j % 7 = 1)
                     THEN z.app END AS app,
                CASE WHEN z.kind = 'dataset' OR (z.kind = 'app' AND z.j % 4 = 1) OR (z.kind = 'request' AND z.j % 3 = 0)
                       OR (z.kind = 'workerpool' AND z.j % 11 = 1) THEN z.dataset END AS dataset,
                CASE WHEN z.kind = 'workerpool' OR (z.kind <> 'workerpool' AND z.j % 3 = 1) THEN z.workerpool END AS workerpool,
                CASE WHEN z.kind = 'request' OR i % 3 = 0 THEN z.requester END AS requester,
                CASE WHEN z.bulk THEN 0::numeric ELSE ((i % 100) * 100000)::numeric END AS price,
                CASE WHEN z.bulk THEN 9007199254740991::numeric ELSE (1 + i % 10)::numeric END AS volume,
                CASE WHEN z.bulk THEN (i % 7)::numeric WHEN i % 7 = 0 THEN (1 + i % 10)::numeric WHEN i % 3 = 0 THEN ((1 + i % 10) / 2)::numeric
                     ELSE 0::numeric END AS consumed,
                CASE WHEN z.j % 4 = 0 THEN '0x0000000000000000000000000000000000000000000000000000000000000000'
                     ELSE '0x0000000000000000000000000000000000000000000000000000000000000009' END AS tag,
                CASE WHEN z.kind IN ('workerpool', 'request') THEN z.j % 3 END AS category) AS c;

ANALYZE;
