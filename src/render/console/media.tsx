import type { SiteConfig } from '../../config';
import { ACCEPTED_TYPES } from '../../media/sniff';
import type { StoredMedia } from '../../media/store';
import { ConsolePage, consoleDocument } from './layout';
import { bytes, Copyable, described, ErrorSummary, errorOf, Field, type FieldError, Notice, When } from './parts';

// Uploaded images and audio (/admin/media): the upload form and every file with its address, to
// copy into a post (the editor can also upload while writing, and put the file in place).

const LABELS = { file: 'File' };

export function renderMediaPage(
  config: SiteConfig,
  page: { files: StoredMedia[]; errors: FieldError[]; uploaded: StoredMedia | null; token: string; signOutToken: string },
): string {
  const fileError = errorOf(page.errors, 'file');
  return consoleDocument(
    <ConsolePage config={config} title="Media" signOutToken={page.signOutToken} current="media" script>
      <h1>Media</h1>
      <p>
        Images and audio for posts, served from this site at <code>/media/…</code> and cached by browsers and readers for good: a file's
        address is made from its content, so it never changes.
      </p>
      {page.uploaded ? (
        <Notice>
          <p>
            Uploaded {page.uploaded.name || 'the file'} ({page.uploaded.type}, {bytes(page.uploaded.length)}).
          </p>
          <Copyable id="uploaded-url" label="Its address" value={page.uploaded.url} />
        </Notice>
      ) : null}
      <ErrorSummary errors={page.errors} labels={LABELS} />
      <form method="post" action="/admin/media" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value={page.token} />
        <Field
          id="file"
          label="File"
          error={fileError}
          hint="PNG, JPEG, GIF, WebP or AVIF up to 10 MB; MP3, M4A, Ogg, WAV or FLAC up to 50 MB. The file's content decides what it is: a file that says it is something else is refused, and so is SVG."
        >
          <input id="file" name="file" type="file" required accept={ACCEPTED_TYPES.join(',')} {...described('file', true, fileError)} />
        </Field>
        <button type="submit" class="primary">
          Upload
        </button>
      </form>
      <h2>Files</h2>
      {page.files.length === 0 ? (
        <p>Nothing was uploaded yet.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Type and size</th>
                <th scope="col">Uploaded (UTC)</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {page.files.map((file) => (
                <tr>
                  <td>
                    {file.kind === 'image' ? (
                      <img class="media-thumb" src={file.url} alt={file.name || 'an uploaded image'} />
                    ) : (
                      file.name || 'audio'
                    )}
                  </td>
                  <td>
                    {file.type}, {bytes(file.length)}
                  </td>
                  <td>
                    <When at={file.uploadedAt} />
                  </td>
                  <td class="address">
                    <a href={file.url}>{file.key}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ConsolePage>,
  );
}
