-- A canonical agency name is never itself an alias: one lookup resolves every name.
select canonical_agency
from {{ ref('agency_aliases') }}
where canonical_agency in (select alias from {{ ref('agency_aliases') }})
