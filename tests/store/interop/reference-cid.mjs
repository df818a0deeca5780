// Prints the CID that Helia's importer (ipfs-unixfs-importer, the one @helia/unixfs uses) gives
// a file, for tests/store/interop_test.cpp to compare with `hashos cid`.
//   node reference-cid.mjs PROFILE FILE [CHUNK_SIZE MAX_LINKS]
// PROFILE is helia (IPIP-499 unixfs-v1-2025) or kubo-legacy (unixfs-v0-2015). CHUNK_SIZE and
// MAX_LINKS replace the profile's, so small files can build deep trees.
import { createReadStream } from 'node:fs'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

const [profileName, path, chunkSize, maxLinks] = process.argv.slice(2)
const profiles = { helia: 'unixfs-v1-2025', 'kubo-legacy': 'unixfs-v0-2015' }
if (!(profileName in profiles) || path === undefined) {
  console.error('usage: node reference-cid.mjs helia|kubo-legacy FILE [CHUNK_SIZE MAX_LINKS]')
  process.exit(2)
}
const options = { profile: profiles[profileName] }
if (chunkSize !== undefined) {
  options.chunker = fixedSize({ chunkSize: Number(chunkSize) })
  options.layout = balanced({ maxChildrenPerNode: Number(maxLinks) })
}
// Only the CID is wanted: a blockstore that keeps nothing.
const blockstore = { put: async (cid) => cid, has: async () => false }
for await (const entry of importer([{ content: createReadStream(path) }], blockstore, options)) {
  console.log(entry.cid.toString())
}
