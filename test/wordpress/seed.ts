import type { WordPressSite } from './wordpress-site';

export interface LeadRow {
  first_name: string;
  last_name: string;
  phone: string;
  email: string;
}

const asPhp = (value: unknown) =>
  `json_decode(base64_decode('${Buffer.from(JSON.stringify(value)).toString('base64')}'), true)`;

/** Leads as the docs' route keeps them (posts of type `lead`, answers in meta); returns their post ids. */
export function insertLeads(site: WordPressSite, rows: LeadRow[]): number[] {
  const out = site.php(`$ids = [];
foreach (${asPhp(rows)} as $row) {
  $ids[] = wp_insert_post(['post_type' => 'lead', 'post_status' => 'publish', 'post_title' => $row['first_name'] . ' ' . $row['last_name'], 'meta_input' => $row], true);
}
echo json_encode($ids);`);
  return JSON.parse(out.slice(out.indexOf('[')));
}

/** An edit made in wp-admin: the meta changes and the post's modified time moves. */
export function editLead(site: WordPressSite, id: number, meta: Partial<LeadRow>): void {
  site.php(`foreach (${asPhp(meta)} as $key => $value) update_post_meta(${id}, $key, $value);
wp_update_post(['ID' => ${id}]);`);
}

export function deleteLead(site: WordPressSite, id: number): void {
  site.php(`wp_delete_post(${id}, true);`);
}

/** Users who signed up with a phone (user meta `phone`, shown by the docs' register_meta plugin). */
export function insertUsers(site: WordPressSite, users: { login: string; name: string; phone?: string }[]): number[] {
  const out = site.php(`$ids = [];
foreach (${asPhp(users)} as $u) {
  $id = wp_insert_user(['user_login' => $u['login'], 'user_pass' => wp_generate_password(), 'user_email' => $u['login'] . '@example.com', 'display_name' => $u['name'], 'role' => 'subscriber']);
  if (!empty($u['phone'])) update_user_meta($id, 'phone', $u['phone']);
  $ids[] = $id;
}
echo json_encode($ids);`);
  return JSON.parse(out.slice(out.indexOf('[')));
}

export function updateUser(site: WordPressSite, id: number, change: { name?: string; phone?: string }): void {
  site.php(`${change.name ? `wp_update_user(['ID' => ${id}, 'display_name' => ${asPhp(change.name)}]);` : ''}
${change.phone ? `update_user_meta(${id}, 'phone', ${asPhp(change.phone)});` : ''}`);
}

/** 300 good leads in the formats people type (DEFAULT_PHONE_REGION=DE), then 8 that cannot become contacts. */
export function landingPageLeads(): LeadRow[] {
  const row = (i: number, phone: string): LeadRow => ({
    first_name: 'Lead',
    last_name: String(i),
    phone,
    email: `lead${i}@example.com`,
  });
  const formats = [
    (n: number) => `+49 151 ${n}`,
    (n: number) => `(0151) ${String(n).slice(0, 4)} ${String(n).slice(4)}`,
    (n: number) => `0049-151-${n}`,
    (n: number) => `0151/${n}`,
  ];
  const good = Array.from({ length: 300 }, (_, i) => row(i + 1, formats[i % formats.length](30_000_000 + i + 1)));
  const bad = [
    row(301, ''),
    row(302, ''),
    row(303, ''),
    row(304, '12345'),
    row(305, 'call me'),
    row(306, '+49 1'),
    row(307, '+49 151 30000001'),
    row(308, '+49 151 30000002'),
  ];
  return [...good, ...bad];
}
