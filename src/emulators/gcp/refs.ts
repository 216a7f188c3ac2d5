/**
 * Resource references as Compute accepts them: full URLs
 * (`https://www.googleapis.com/compute/v1/projects/p/zones/z/machineTypes/x`), partial
 * paths (`projects/p/zones/z/machineTypes/x`, `zones/z/machineTypes/x`,
 * `global/images/family/debian-12`) and, for a few fields, bare names.
 */
export interface Ref {
  project?: string;
  zone?: string;
  region?: string;
  global?: boolean;
  collection?: string;
  name: string;
  /** images/family/<name> */
  family?: boolean;
}

export function parseRef(text: string): Ref | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const path = text.replace(/^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\//, '');
  const seg = path.split('/');
  const ref: Partial<Ref> = {};
  let i = 0;
  if (seg[i] === 'projects') {
    ref.project = seg[i + 1];
    i += 2;
  }
  if (seg[i] === 'zones') {
    ref.zone = seg[i + 1];
    i += 2;
  } else if (seg[i] === 'regions') {
    ref.region = seg[i + 1];
    i += 2;
  } else if (seg[i] === 'global') {
    ref.global = true;
    i += 1;
  }
  const rest = seg.slice(i);
  if (rest.length === 1 && i === 0) return { name: rest[0] };
  if (rest.length === 2) return { ...ref, collection: rest[0], name: rest[1] } as Ref;
  if (rest.length === 3 && rest[0] === 'images' && rest[1] === 'family')
    return { ...ref, collection: 'images', family: true, name: rest[2] } as Ref;
  return undefined;
}
