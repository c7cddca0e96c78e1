//! Listing through the SDK's paginators: small pages, every item once, in creation order.

use crate::common::*;

#[tokio::test]
async fn paginators_walk_every_session_in_creation_order() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let mut started = Vec::new();
    for n in 0..23 {
        started.push(start_session(&client, &group, &app, n).await);
    }

    let pages: Vec<_> = client
        .list_stream_sessions()
        .identifier(&group)
        .max_results(5)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    assert_eq!(
        pages.iter().map(|p| p.items().len()).collect::<Vec<_>>(),
        [5, 5, 5, 5, 3]
    );
    assert!(pages.last().unwrap().next_token().is_none());

    let listed: Vec<String> = client
        .list_stream_sessions()
        .identifier(&group)
        .max_results(5)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every item")
        .into_iter()
        .map(|s| s.arn().expect("an ARN").to_owned())
        .collect();
    assert_eq!(listed, started);

    let by_account: Vec<String> = client
        .list_stream_sessions_by_account()
        .max_results(4)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every item")
        .into_iter()
        .map(|s| s.arn().expect("an ARN").to_owned())
        .collect();
    assert_eq!(by_account, started);
}

#[tokio::test]
async fn paginators_walk_applications_and_stream_groups() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let mut apps = Vec::new();
    for _ in 0..7 {
        apps.push(ready_application(&client).await);
    }
    let mut groups = Vec::new();
    for app in &apps[..3] {
        groups.push(stream_group(&client, app).await);
    }
    let listed: Vec<String> = client
        .list_applications()
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every application")
        .into_iter()
        .map(|a| a.arn().to_owned())
        .collect();
    assert_eq!(listed, apps);
    let listed: Vec<String> = client
        .list_stream_groups()
        .max_results(1)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every stream group")
        .into_iter()
        .map(|g| g.arn().to_owned())
        .collect();
    assert_eq!(listed, groups);
}
