import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="notice" role="status">
      <h1>Not found</h1>
      <p>This page or iApp does not exist on this network (an app appears once its registration is indexed).</p>
      <p>
        <Link href="/">Back to the catalogue</Link>
      </p>
    </div>
  );
}
