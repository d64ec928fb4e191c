{
  'targets': [
    {
      'target_name': 'redlite',
      'sources': [ 'src/addon.c', 'src/convert.c', 'src/exec.c', 'src/signals.c' ],
      'include_dirs': [
        # node_api.h: node-api-headers, else the running Node's own headers
        # (scripts/napi-include.js says why); never a download.
        "<!(node scripts/napi-include.js)",
        '../../include',
      ],
      'defines': [ 'NAPI_VERSION=8' ],
      'cflags_c': [ '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Wno-missing-field-initializers' ],
      # libredlite.so.1 is built by scripts/build.js into the same directory
      # as the addon (build/Release); the addon finds it there through its
      # rpath, so nothing depends on a library search path.
      'libraries': [ '-L<(module_root_dir)/build/Release', '-lredlite' ],
      'ldflags': [ "-Wl,-rpath,'$$ORIGIN'" ],
    },
  ],
}
