// Next's ambient types (CSS imports, images). next-env.d.ts is regenerated per build dir
// (CLAPPER_NEXT_DIST) and not committed, so typechecking never depends on a build.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
