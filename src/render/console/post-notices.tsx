import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import type { Entry } from '../../domain/entry';
import type { StoredMedia } from '../../media/store';
import { postUrl } from '../../views/urls';
import { bytes, Notice, When } from './parts';

// What the editor and the post list say after something was done to a post.

/** After a save (`saved` in the editor's address): what readers see of the post now. */
export function savedNotice(config: SiteConfig, saved: string | undefined, post: Entry, now: number): Child {
  const url = postUrl(config, post.slug ?? '');
  if (saved === 'published' && post.status === 'published' && post.publishedAt.getTime() <= now) {
    return (
      <Notice>
        <p>
          Published: <a href={url}>{url}</a> is live, and the post is in the site's feeds (<a href={`${config.url}/feed.xml`}>RSS</a>,{' '}
          <a href={`${config.url}/atom.xml`}>Atom</a>, <a href={`${config.url}/feed.json`}>JSON Feed</a>).
        </p>
      </Notice>
    );
  }
  if (saved === 'scheduled' && post.status === 'published') {
    return (
      <Notice>
        <p>
          Scheduled: it goes live on <When at={post.publishedAt.getTime()} /> by itself, in the feeds and at {url}.
        </p>
      </Notice>
    );
  }
  if (saved === 'draft' && post.status === 'draft') {
    return (
      <Notice>
        <p>Saved as a draft: readers do not see it.</p>
      </Notice>
    );
  }
  if (saved === 'unpublished' && post.status === 'draft') {
    return (
      <Notice>
        <p>Unpublished: it is a draft again. It has left the feeds, and its address answers 404 until it is published again.</p>
      </Notice>
    );
  }
  return null;
}

/** After an upload in the editor: where the file is, and where it was put. */
export function uploadedNotice(file: StoredMedia, where: string): Child {
  return (
    <Notice>
      <p>
        Uploaded {file.name || 'the file'} ({file.type}, {bytes(file.length)}) to <code>{file.url}</code>, and put it {where}. Nothing else
        is saved until you save the post.
      </p>
    </Notice>
  );
}

/** After a deletion (the post list's `deleted`, the slug the post had). */
export function deletedNotice(config: SiteConfig, slug: string | undefined): Child {
  if (!slug) return null;
  return (
    <Notice>
      <p>
        Deleted. <code>{postUrl(config, slug)}</code> answers 410 Gone from now on, and the post has left every feed.
      </p>
    </Notice>
  );
}

/** The editor's form came back after its token expired: shown again as sent, saved only when sent again. */
export function staleNotice(): Child {
  return (
    <Notice kind="error">
      <p>
        This page was open too long for its form to be taken as it was: nothing was saved or uploaded. Everything you wrote is below; check
        it and press the button again.
      </p>
    </Notice>
  );
}
