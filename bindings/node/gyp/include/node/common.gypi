# The nodedir node-gyp is pointed at (--nodedir, see scripts/build.js), so
# that it never downloads Node's headers: the addon uses Node-API only, and
# its headers come from the pinned node-api-headers package or the running
# Node's own include/node (binding.gyp, scripts/napi-include.js).
# node-gyp reads this file for the defaults Node's own common.gypi would set;
# these are the few a C addon on Linux needs.
{
  'variables': {
    'node_engine%': 'v8',
    'standalone_static_library%': 0,
  },
  'target_defaults': {
    'default_configuration': 'Release',
    'configurations': {
      'Release': { 'cflags': [ '-O2' ] },
      'Debug': { 'cflags': [ '-O0', '-g' ] },
    },
    'cflags': [ '-fPIC', '-pthread', '-fvisibility=hidden' ],
    'ldflags': [ '-pthread' ],
  },
}
