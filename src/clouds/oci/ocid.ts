/**
 * OCID and OCI region checks, shared by `keys oci-config` and the provider config validator.
 * Pure functions with no SDK import: they run at validation time, before any cloud call.
 *
 * OCID shape (OCI docs, "Resource Identifiers"):
 *   ocid1.<resource type>.<realm>.[region][.future use].<unique id>
 * Tenancy and user OCIDs have an empty region part: `ocid1.user.oc1..aaaa...`.
 */
import { echoValue } from '../../core/echo.js';

/** Region identifiers the OCI SDK (oci-common 2.139.1, `common.Region`) knows. */
export const KNOWN_OCI_REGIONS: readonly string[] = [
  'af-casablanca-1',
  'af-johannesburg-1',
  'ap-batam-1',
  'ap-chiyoda-1',
  'ap-chuncheon-1',
  'ap-chuncheon-2',
  'ap-dcc-canberra-1',
  'ap-dcc-gazipur-1',
  'ap-delhi-1',
  'ap-hyderabad-1',
  'ap-ibaraki-1',
  'ap-kulai-2',
  'ap-melbourne-1',
  'ap-mumbai-1',
  'ap-osaka-1',
  'ap-seoul-1',
  'ap-seoul-2',
  'ap-singapore-1',
  'ap-singapore-2',
  'ap-suwon-1',
  'ap-sydney-1',
  'ap-tokyo-1',
  'ca-montreal-1',
  'ca-toronto-1',
  'eu-amsterdam-1',
  'eu-budapest-1',
  'eu-crissier-1',
  'eu-dcc-dublin-1',
  'eu-dcc-dublin-2',
  'eu-dcc-milan-1',
  'eu-dcc-milan-2',
  'eu-dcc-rating-1',
  'eu-dcc-rating-2',
  'eu-dcc-zurich-1',
  'eu-frankfurt-1',
  'eu-frankfurt-2',
  'eu-jovanovac-1',
  'eu-madrid-1',
  'eu-madrid-2',
  'eu-madrid-3',
  'eu-marseille-1',
  'eu-milan-1',
  'eu-paris-1',
  'eu-stockholm-1',
  'eu-turin-1',
  'eu-zurich-1',
  'il-jerusalem-1',
  'me-abudhabi-1',
  'me-abudhabi-2',
  'me-abudhabi-3',
  'me-abudhabi-4',
  'me-alain-1',
  'me-alrayyan-1',
  'me-dcc-doha-1',
  'me-dcc-muscat-1',
  'me-dubai-1',
  'me-ibri-1',
  'me-jeddah-1',
  'me-riyadh-1',
  'mx-monterrey-1',
  'mx-queretaro-1',
  'sa-bogota-1',
  'sa-riodejaneiro-1',
  'sa-santiago-1',
  'sa-saopaulo-1',
  'sa-valparaiso-1',
  'sa-vinhedo-1',
  'uk-cardiff-1',
  'uk-gov-cardiff-1',
  'uk-gov-london-1',
  'uk-london-1',
  'us-ashburn-1',
  'us-ashburn-2',
  'us-chicago-1',
  'us-gov-ashburn-1',
  'us-gov-chicago-1',
  'us-gov-phoenix-1',
  'us-langley-1',
  'us-luke-1',
  'us-newark-1',
  'us-phoenix-1',
  'us-saltlake-2',
  'us-sanjose-1',
  'us-somerset-1',
  'us-thames-1',
];

const KNOWN = new Set(KNOWN_OCI_REGIONS);

/** `xx-name-N`, `xx-gov-name-N`, `xx-dcc-name-N`: the shape every region identifier has. */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+){1,3}-[0-9]{1,2}$/;

/** realm oc1..ocN; region part may be empty; an optional future-use part; a lowercase unique id. */
const OCID_SHAPE = /^ocid1\.([a-z0-9]+)\.(oc[0-9]+)\.([a-z0-9-]*)\.(?:([a-z0-9-]*)\.)?([a-z0-9]+)$/;

/** Short region keys (IAD, FRA, ...) people paste instead of the identifier. */
const LOOKS_LIKE_REGION_KEY = /^[a-zA-Z]{3}$/;

/**
 * Why `value` is not an OCID of `resourceType` (or of one of several types, e.g.
 * `['compartment', 'tenancy']` since the tenancy is the root compartment); undefined when it is.
 * The message names the value but not the flag or file: the caller adds where it came from.
 */
export function ocidError(value: string, resourceType: string | readonly string[]): string | undefined {
  const types = typeof resourceType === 'string' ? [resourceType] : [...resourceType];
  const expected = `${types.map((t) => `ocid1.${t}.oc1..<unique id>`).join(' or ')}`;
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return `an empty value is not a ${types.join(' or ')} OCID (expected ${expected})`;
  const m = OCID_SHAPE.exec(v);
  if (!m) return `${echoValue(v)} is not a ${types.join(' or ')} OCID (expected ${expected})`;
  if (!types.includes(m[1])) {
    return `${echoValue(v)} is a ${m[1]} OCID, not a ${types.join(' or ')} OCID (expected ${expected})`;
  }
  return undefined;
}

/** Why `value` is not an OCI region identifier; undefined when it is. */
export function regionError(value: string): string | undefined {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) return 'an empty region (expected an identifier such as us-ashburn-1 or eu-frankfurt-1)';
  if (KNOWN.has(v)) return undefined;
  if (KNOWN.has(v.toLowerCase())) return `region ${echoValue(v)} must be lowercase ('${v.toLowerCase()}')`;
  if (LOOKS_LIKE_REGION_KEY.test(v)) {
    return `${echoValue(v)} looks like a region key; use the region identifier instead (such as us-ashburn-1 for IAD)`;
  }
  if (REGION_SHAPE.test(v)) return undefined;
  return `${echoValue(v)} is not an OCI region identifier (expected a name such as us-ashburn-1 or eu-frankfurt-1)`;
}

/** True when the SDK knows the region (an unknown but well-formed one may be brand new). */
export function isKnownRegion(value: string): boolean {
  return KNOWN.has(value);
}
