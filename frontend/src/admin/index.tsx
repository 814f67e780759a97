import { render } from 'solid-js/web';
import { createAdminApi } from './admin-api';
import { AdminPage } from './admin-page';
import { createAdminStore } from './admin-store';
import '../styles.css';

// Made once here: a JSX prop is a getter, and would make a new store on every read.
const store = createAdminStore((token) => createAdminApi(token));
render(() => <AdminPage store={store} />, document.getElementById('root')!);
