/*
 * The fully annotated example of spec/client-config.md §12, verbatim
 * (comments included), shared by the C and C++ tests.
 */
#ifndef LETTS_TEST_EXAMPLE_YAML_H
#define LETTS_TEST_EXAMPLE_YAML_H

#define EXAMPLE_YAML \
    "# letts.yaml — every key, annotated. Tokens are ${VAR} references except one, so this\n" \
    "# file must be mode 0600 or 0400 (because of dugdales[3].token, see section 10.4).\n" \
    "\n" \
    "auth:                                   # global fallbacks, one per scope\n" \
    "  token:       \"${LETTS_DISPATCH_TOKEN}\"  # dispatch scope (all-placeholder: not \"plain\")\n" \
    "  admin_token: \"${LETTS_ADMIN_TOKEN}\"     # admin scope\n" \
    "  exec_token:  \"${LETTS_EXEC_TOKEN}\"      # exec scope (the PHP client never uses it)\n" \
    "\n" \
    "defaults:\n" \
    "  port: 7180                            # for dugdales without a port; 0 or absent also means 7180\n" \
    "\n" \
    "selector:\n" \
    "  match: [prod]                         # default label filter for auto-select and runOnAll\n" \
    "\n" \
    "routes:                                 # run(route: \"reports\") -> (web-1, normal)\n" \
    "  reports: {host: primary, lane: normal}  # the host may be an alias\n" \
    "  nightly: {host: web-2,   lane: heavy}   # the lane must pass the lane regex (Go)\n" \
    "\n" \
    "aliases:\n" \
    "  primary: web-1                        # literal value: must be a valid dugdale id\n" \
    "  \"7\": web-2                            # numeric handle; `7: web-2` is the same key; host: 7 works\n" \
    "  edge: \"${LETTS_EDGE_TARGET}\"          # resolved at use; the variable must name an id or alias\n" \
    "\n" \
    "templates:\n" \
    "  prod:                                 # template names follow the route/id regex\n" \
    "    labels: [prod, web]                 # inherited unless a dugdale lists its own labels\n" \
    "    lanes:\n" \
    "      normal: {concurrency: 4}          # the client only cares that the lane exists\n" \
    "      bulk:   {concurrency: 2, paused: false}\n" \
    "    admin_token: \"${LETTS_PROD_ADMIN}\"  # inherited as the dugdale's own admin token\n" \
    "    proxy: \"socks5h://bastion.example.net:1080\"   # every extending dugdale tunnels through it\n" \
    "    mission_dir: /srv/missions          # accepted, validated, inherited; unused by the client\n" \
    "    runtime:                            # likewise unused by the client\n" \
    "      mission_path_template: \"{mission}.php\"\n" \
    "      command_template: [php, \"{mission_path}\"]\n" \
    "      validate_mission_file: true\n" \
    "\n" \
    "dugdales:\n" \
    "  - id: web-1                           # required, unique, ^[a-z][a-z0-9_-]{0,63}$\n" \
    "    host: web1.internal                 # base URL: http://web1.internal:7181\n" \
    "    port: 7181\n" \
    "    extends: prod                       # labels [prod, web]; lanes normal, bulk; bastion proxy\n" \
    "\n" \
    "  - id: web-2\n" \
    "    host: \"web2.internal:7999\"          # port inside host wins (Go rule; PHP cannot parse this)\n" \
    "    extends: prod\n" \
    "    labels: [prod, batch]               # REPLACES [prod, web]; web-2 does not carry \"web\"\n" \
    "    lanes:\n" \
    "      bulk: null                        # delete the inherited lane\n" \
    "      heavy: {concurrency: 1}           # lanes now: normal (inherited), heavy\n" \
    "    proxy: null                         # opt out of the template's proxy: connect directly\n" \
    "\n" \
    "  - id: edge-1\n" \
    "    url: \"https://edge1.example.com/letts/\"   # url wins over host/port; trailing \"/\" dropped\n" \
    "    token: \"${EDGE1_DISPATCH_TOKEN}\"    # overrides auth.token for edge-1 only\n" \
    "    labels: [edge]\n" \
    "    lanes: {normal: {concurrency: 1}}\n" \
    "    proxy: \"http://squid.example.net:3128\"    # an HTTP proxy (CONNECT for https targets)\n" \
    "\n" \
    "  - id: lab\n" \
    "    host: \"::1\"                         # IPv6 literal -> http://[::1]:7180 (Go rule)\n" \
    "    token: \"lab-plaintext-token\"        # PLAIN token: the file must be 0600/0400\n" \
    "    lanes: {normal: {concurrency: 1}}   # no labels: never auto-selected while selector is [prod]\n"

#endif /* LETTS_TEST_EXAMPLE_YAML_H */
