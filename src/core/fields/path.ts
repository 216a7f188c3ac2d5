/** Where a value sits in a config document: ['providers', 1, 'gcp_custom_labels', 'Env']. */
export type PathSegments = readonly (string | number)[];
